/**
 * The room log in Deno KV. Kept messages live under `["messages", room, seq]`,
 * edit and delete events under `["events", room, seq]`; the room's state
 * under `["rooms", room]` holds the last `seq` and is checked by every write
 * to the log, so `seq` stays gapless across handles. An append also records
 * that the sender posted there and, at most once per
 * {@linkcode ACTIVITY_STEP_MS}, moves the room's directory key, in the same
 * `atomic()`.
 *
 * @module
 */
import {
  type ChatMessage,
  type DeleteEvent,
  type EditEvent,
  type LoggedEvent,
  type NewMessage,
  type StoredMessage,
  toChatMessage,
  toLoggedMessage,
  toV1Message,
} from "../../model.ts";
import type { MessageLog, MessageQuery } from "../api/messages.ts";
import { ACTIVITY_STEP_MS } from "../api/rooms.ts";
import { messageNotFound } from "../store_errors.ts";
import { type KvContext, listAll, seqRange } from "./context.ts";
import { decodeRoom, keys, type KvMessage, type KvRoom } from "./keys.ts";
import { kvMessageChanges } from "./message_changes.ts";

/** The entries of a room's `prefix` in a `seq` range, oldest first, as `query` pages them. */
async function listRange<T>(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  query: MessageQuery,
): Promise<T[]> {
  const selector = seqRange(prefix, query.after, query.before);
  if (!selector || query.limit <= 0) return [];
  const oldestFirst = query.from === "oldest";
  const entries = await listAll(kv.list<T>(selector, {
    limit: query.limit,
    reverse: !oldestFirst,
    batchSize: Math.min(query.limit, 500),
  }));
  const out = entries.map((entry) => entry.value);
  if (!oldestFirst) out.reverse();
  return out;
}

/** The log methods over one handle. */
export function kvMessages(ctx: KvContext): MessageLog {
  const { kv, guard, retry, serial } = ctx;
  return {
    appendMessage(message: NewMessage): Promise<StoredMessage> {
      const { room, replyTo } = message;
      return serial(room, () =>
        guard(() =>
          retry(async () => {
            // The hot path reads one key; a reply also reads (and checks) its target.
            const [entry, target] = replyTo === undefined
              ? [await kv.get<KvRoom | number>(keys.room(room)), undefined]
              : await kv.getMany<[KvRoom | number, KvMessage]>([
                keys.room(room),
                keys.message(room, replyTo),
              ]);
            if (target && target.value === null) throw messageNotFound(room, replyTo!);
            const state = decodeRoom(entry.value);
            const seq = state.lastSeq + 1;
            const at = message.createdAtMs;
            const v1 = toChatMessage(message, seq);
            const stored: StoredMessage = replyTo === undefined ? v1 : { ...v1, replyTo };
            const moved = entry.value === null || state.activeAtMs + ACTIVITY_STEP_MS <= at;
            const next: KvRoom = {
              ...state,
              lastSeq: seq,
              lastMessageAtMs: at,
              activeAtMs: moved ? at : state.activeAtMs,
            };
            const op = kv.atomic()
              .check(entry)
              .set(keys.room(room), next)
              .set(keys.message(room, seq), stored)
              .set(keys.posted(message.sender.id, room), true);
            if (target) op.check(target);
            if (moved && state.visibility === "public") {
              if (entry.value !== null) op.delete(keys.directory(state.activeAtMs, room));
              op.set(keys.directory(at, room), true);
            }
            return { op, value: stored };
          })
        ));
    },

    listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]> {
      return guard(async () =>
        (await listRange<KvMessage>(kv, keys.messages(room), query)).map(toV1Message)
      );
    },

    listEvents(room: string, query: MessageQuery): Promise<LoggedEvent[]> {
      return guard(async () => {
        // The two listings are read apart: bounding both by the last seq read
        // first makes them one consistent prefix of the log (everything up to
        // it was committed before), so no event between two listed ones is missed.
        const last = decodeRoom((await kv.get<KvRoom | number>(keys.room(room))).value).lastSeq;
        const bounded = { ...query, before: Math.min(query.before ?? Infinity, last + 1) };
        const [messages, events] = await Promise.all([
          listRange<KvMessage>(kv, keys.messages(room), bounded),
          listRange<EditEvent | DeleteEvent>(kv, keys.events(room), bounded),
        ]);
        const merged: LoggedEvent[] = [...messages.map(toLoggedMessage), ...events]
          .sort((a, b) => a.seq - b.seq);
        return query.from === "oldest"
          ? merged.slice(0, query.limit)
          : merged.slice(Math.max(0, merged.length - query.limit));
      });
    },

    findMessage(room: string, seq: number): Promise<StoredMessage | undefined> {
      return guard(async () =>
        (await kv.get<KvMessage>(keys.message(room, seq))).value ?? undefined
      );
    },

    ...kvMessageChanges(ctx),

    lastSeq(room: string): Promise<number> {
      return guard(async () =>
        decodeRoom((await kv.get<KvRoom | number>(keys.room(room))).value).lastSeq
      );
    },
  };
}
