/**
 * Edits and deletes in Deno KV: each checks the room's state and the target
 * message, appends its event under `["events", room, seq]` (indexed by target
 * under `["events_of", …]`) and changes the message, in one `atomic()`. A
 * delete removes the message's key and its edit events, so its text is in no
 * value any more.
 *
 * @module
 */
import type { DeleteEvent, EditEvent, StoredMessage } from "../../model.ts";
import type { EditResult, MessageLog, NewDelete, NewEdit } from "../api/messages.ts";
import { messageNotFound } from "../store_errors.ts";
import { type KvContext, listAll } from "./context.ts";
import { decodeRoom, keys, type KvMessage, type KvRoom } from "./keys.ts";

/** Edit events removed in the delete's own op; the rest follow in batches. */
const EDITS_IN_DELETE = 400;

/** `editMessage` and `deleteMessage` over one handle. */
export function kvMessageChanges(
  ctx: KvContext,
): Pick<MessageLog, "editMessage" | "deleteMessage"> {
  const { kv, guard, retry, serial } = ctx;

  /** The room's state and the target, or `MESSAGE_NOT_FOUND`. */
  const read = async (room: string, target: number) => {
    const [entry, message] = await kv.getMany<[KvRoom | number, KvMessage]>([
      keys.room(room),
      keys.message(room, target),
    ]);
    if (message.value === null) throw messageNotFound(room, target);
    const state = decodeRoom(entry.value);
    return { entry, message, value: message.value, state, seq: state.lastSeq + 1 };
  };

  return {
    editMessage(edit: NewEdit): Promise<EditResult> {
      const { room, target, text, editor, editedAtMs } = edit;
      return serial(room, () =>
        guard(() =>
          retry(async () => {
            const { entry, message, value, state, seq } = await read(room, target);
            const editedAt = new Date(editedAtMs).toISOString();
            const updated: StoredMessage = { ...value, text, editedAt };
            const event: EditEvent = {
              type: "edit",
              seq,
              room,
              target,
              text,
              editedAt,
              sender: { id: editor.id, username: editor.username },
              ...(edit.nonce !== undefined ? { nonce: edit.nonce } : {}),
            };
            const op = kv.atomic()
              .check(entry)
              .check(message)
              .set(keys.room(room), { ...state, lastSeq: seq } satisfies KvRoom)
              .set(keys.message(room, target), updated)
              .set(keys.event(room, seq), event)
              .set(keys.eventOf(room, target, seq), true);
            return { op, value: { event, message: updated } };
          })
        ));
    },

    deleteMessage(deletion: NewDelete): Promise<DeleteEvent> {
      const { room, target, by } = deletion;
      return serial(room, () =>
        guard(async () => {
          let edits: number[] = [];
          const event = await retry(async () => {
            const { entry, message, state, seq } = await read(room, target);
            // No edit can be added while the message's check holds.
            edits = (await listAll(kv.list({ prefix: keys.eventsOf(room, target) })))
              .map((e) => e.key.at(-1) as number);
            const event: DeleteEvent = {
              type: "delete",
              seq,
              room,
              target,
              by: { id: by.id, username: by.username },
              ...(deletion.nonce !== undefined ? { nonce: deletion.nonce } : {}),
            };
            const op = kv.atomic()
              .check(entry)
              .check(message)
              .set(keys.room(room), { ...state, lastSeq: seq } satisfies KvRoom)
              .delete(keys.message(room, target))
              .set(keys.event(room, seq), event)
              .set(keys.eventOf(room, target, seq), true);
            for (const edit of edits.slice(0, EDITS_IN_DELETE)) {
              op.delete(keys.event(room, edit)).delete(keys.eventOf(room, target, edit));
            }
            return { op, value: event };
          });
          await ctx.commitInBatches(edits.slice(EDITS_IN_DELETE), (op, edit) => {
            op.delete(keys.event(room, edit)).delete(keys.eventOf(room, target, edit));
          }, 200);
          return event;
        }));
    },
  };
}
