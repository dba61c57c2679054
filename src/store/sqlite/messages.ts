/**
 * The room log in SQLite. Messages and their edit and delete events are rows
 * of one table keyed by `(room, seq)`; `rooms.last_seq` hands out the next
 * `seq` inside a `BEGIN IMMEDIATE` transaction, so isolates and processes
 * sharing one file stay gapless.
 *
 * @module
 */
import type { SQLInputValue } from "node:sqlite";
import {
  type ChatMessage,
  type LoggedEvent,
  type NewMessage,
  type StoredMessage,
  toChatMessage,
} from "../../model.ts";
import type { MessageLog, MessageQuery } from "../api/messages.ts";
import { ACTIVITY_STEP_MS } from "../api/rooms.ts";
import { messageNotFound } from "../store_errors.ts";
import type { SqliteContext } from "./db.ts";
import { sqliteMessageChanges } from "./message_changes.ts";
import { FIND_MESSAGE, type MessageRow, rowToEvent, rowToMessage, rowToV1Message } from "./rows.ts";

/**
 * Takes the next `seq` and records the latest message's time (creating the
 * row). The indexed `active_at` is not set here: see {@linkcode MOVE_ACTIVITY}.
 */
const NEXT_SEQ_FOR_MESSAGE =
  "INSERT INTO rooms (name, last_seq, last_message_at, active_at) VALUES (?1, 1, ?2, ?2) " +
  "ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1, " +
  "last_message_at = excluded.last_message_at RETURNING last_seq, active_at";

/**
 * Moves the room's activity, and so its entry in the directory index, run
 * only when the message is {@linkcode ACTIVITY_STEP_MS} past it: a busy room
 * rewrites the index once a second instead of once a message.
 */
const MOVE_ACTIVITY = "UPDATE rooms SET active_at = ? WHERE name = ?";

const INSERT_MESSAGE =
  "INSERT INTO messages (room, seq, id, sender_id, sender_name, text, nonce, created_at, reply_to) " +
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/**
 * The sender has posted in the room. After its first message there this is a
 * lookup that writes nothing, so the hot path dirties no read-state page.
 */
const MARK_POSTED =
  "INSERT INTO read_state (user_id, room, last_read, posted) VALUES (?, ?, 0, 1) " +
  "ON CONFLICT (user_id, room) DO UPDATE SET posted = 1 WHERE posted = 0";

/** Rows of a room in a `seq` range, `extra` narrowing them, as `query` pages them. */
function selectRange(
  ctx: SqliteContext,
  room: string,
  query: MessageQuery,
  extra: string,
): MessageRow[] {
  const where = ["room = ?", extra];
  const params: SQLInputValue[] = [room];
  if (query.before !== undefined) {
    where.push("seq < ?");
    params.push(query.before);
  }
  if (query.after !== undefined) {
    where.push("seq > ?");
    params.push(query.after);
  }
  const oldestFirst = query.from === "oldest";
  params.push(query.limit);
  const rows = ctx.sql(
    `SELECT * FROM messages WHERE ${where.join(" AND ")} ORDER BY seq ${
      oldestFirst ? "ASC" : "DESC"
    } LIMIT ?`,
  ).all(...params) as unknown as MessageRow[];
  if (!oldestFirst) rows.reverse();
  return rows;
}

/** The log methods over one connection. */
export function sqliteMessages(ctx: SqliteContext): MessageLog {
  const { sql, guard, transaction } = ctx;
  return {
    appendMessage(message: NewMessage): Promise<StoredMessage> {
      return guard(() =>
        transaction(() => {
          const { room, replyTo } = message;
          if (replyTo !== undefined && sql(FIND_MESSAGE).get(room, replyTo) === undefined) {
            throw messageNotFound(room, replyTo);
          }
          const at = message.createdAtMs;
          const row = sql(NEXT_SEQ_FOR_MESSAGE).get(room, at) as {
            last_seq: number;
            active_at: number;
          };
          const seq = Number(row.last_seq);
          if (Number(row.active_at) + ACTIVITY_STEP_MS <= at) {
            sql(MOVE_ACTIVITY).run(at, room);
          }
          sql(INSERT_MESSAGE).run(
            room,
            seq,
            message.id,
            message.sender.id,
            message.sender.username,
            message.text,
            message.nonce ?? null,
            message.createdAtMs,
            replyTo ?? null,
          );
          sql(MARK_POSTED).run(message.sender.id, room);
          const stored = toChatMessage(message, seq);
          return replyTo === undefined ? stored : { ...stored, replyTo };
        })
      );
    },

    listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]> {
      return guard(() =>
        selectRange(ctx, room, query, "kind = 'message' AND deleted_at IS NULL").map(
          rowToV1Message,
        )
      );
    },

    listEvents(room: string, query: MessageQuery): Promise<LoggedEvent[]> {
      return guard(() => selectRange(ctx, room, query, "deleted_at IS NULL").map(rowToEvent));
    },

    findMessage(room: string, seq: number): Promise<StoredMessage | undefined> {
      return guard(() => {
        const row = sql(FIND_MESSAGE).get(room, seq) as MessageRow | undefined;
        return row && rowToMessage(row);
      });
    },

    ...sqliteMessageChanges(ctx),

    lastSeq(room: string): Promise<number> {
      return guard(() => {
        const row = sql("SELECT last_seq FROM rooms WHERE name = ?").get(room) as
          | { last_seq: number }
          | undefined;
        return row ? Number(row.last_seq) : 0;
      });
    },
  };
}
