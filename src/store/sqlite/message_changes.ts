/**
 * Edits and deletes in SQLite: each appends its event row with the next `seq`
 * and changes the target row in the same transaction. A delete blanks the
 * text (and nonce) of the message and of its edits; with `secure_delete` on
 * and the write-ahead log flushed, the old text is gone from the files too.
 *
 * @module
 */
import type { DeleteEvent, EditEvent } from "../../model.ts";
import type { EditResult, MessageLog, NewDelete, NewEdit } from "../api/messages.ts";
import { messageNotFound } from "../store_errors.ts";
import type { SqliteContext } from "./db.ts";
import { FIND_MESSAGE, type MessageRow, rowToMessage } from "./rows.ts";

const NEXT_SEQ = "UPDATE rooms SET last_seq = last_seq + 1 WHERE name = ? RETURNING last_seq";

const INSERT_EVENT =
  "INSERT INTO messages (room, seq, id, sender_id, sender_name, text, nonce, created_at, kind, target) " +
  "VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?)";

/** `editMessage` and `deleteMessage` over one connection. */
export function sqliteMessageChanges(
  ctx: SqliteContext,
): Pick<MessageLog, "editMessage" | "deleteMessage"> {
  const { sql, guard, transaction } = ctx;

  /** The target row and the event's `seq`, or `MESSAGE_NOT_FOUND`. */
  const begin = (room: string, target: number): { row: MessageRow; seq: number } => {
    const row = sql(FIND_MESSAGE).get(room, target) as MessageRow | undefined;
    if (!row) throw messageNotFound(room, target);
    const next = sql(NEXT_SEQ).get(room) as { last_seq: number };
    return { row, seq: Number(next.last_seq) };
  };

  return {
    editMessage(edit: NewEdit): Promise<EditResult> {
      return guard(() =>
        transaction(() => {
          const { room, target, text, editor, editedAtMs } = edit;
          const { row, seq } = begin(room, target);
          sql(INSERT_EVENT).run(
            room,
            seq,
            editor.id,
            editor.username,
            text,
            edit.nonce ?? null,
            editedAtMs,
            "edit",
            target,
          );
          sql("UPDATE messages SET text = ?, edited_at = ? WHERE room = ? AND seq = ?").run(
            text,
            editedAtMs,
            room,
            target,
          );
          const event: EditEvent = {
            type: "edit",
            seq,
            room,
            target,
            text,
            editedAt: new Date(editedAtMs).toISOString(),
            sender: { id: editor.id, username: editor.username },
            ...(edit.nonce !== undefined ? { nonce: edit.nonce } : {}),
          };
          return { event, message: rowToMessage({ ...row, text, edited_at: editedAtMs }) };
        })
      );
    },

    deleteMessage(deletion: NewDelete): Promise<DeleteEvent> {
      return guard(() => {
        const event = transaction((): DeleteEvent => {
          const { room, target, by, atMs } = deletion;
          const { seq } = begin(room, target);
          sql(INSERT_EVENT).run(
            room,
            seq,
            by.id,
            by.username,
            "",
            deletion.nonce ?? null,
            atMs,
            "delete",
            target,
          );
          sql(
            "UPDATE messages SET text = '', nonce = NULL, deleted_at = ? WHERE room = ? AND seq = ?",
          ).run(atMs, room, target);
          sql(
            "UPDATE messages SET text = '', deleted_at = ? WHERE room = ? AND target = ? AND kind = 'edit'",
          ).run(atMs, room, target);
          return {
            type: "delete",
            seq,
            room,
            target,
            by: { id: by.id, username: by.username },
            ...(deletion.nonce !== undefined ? { nonce: deletion.nonce } : {}),
          };
        });
        ctx.flushLog();
        return event;
      });
    },
  };
}
