/**
 * The rows of the SQLite store and the records they become.
 *
 * @module
 */
import {
  type ChatMessage,
  type LoggedEvent,
  type PublicUser,
  type StoredMessage,
  toChatMessage,
  toLoggedMessage,
} from "../../model.ts";
import type { RoomRecord, RoomVisibility } from "../api/rooms.ts";

/** A row of `messages`: a message, or (by `kind`) an edit or delete event. */
export interface MessageRow {
  room: string;
  seq: number;
  id: string;
  sender_id: number;
  sender_name: string;
  text: string;
  nonce: string | null;
  created_at: number;
  kind: "message" | "edit" | "delete";
  target: number | null;
  reply_to: number | null;
  edited_at: number | null;
  deleted_at: number | null;
}

/** A row of `rooms`. */
export interface RoomRow {
  name: string;
  last_seq: number;
  visibility: RoomVisibility;
  title: string | null;
  owner_id: number | null;
  direct: number;
  created_at: number | null;
  last_message_at: number | null;
  active_at: number;
  pruned_through: number;
}

/** A kept, not deleted message, by room and `seq`. */
export const FIND_MESSAGE =
  "SELECT * FROM messages WHERE room = ? AND seq = ? AND kind = 'message' AND deleted_at IS NULL";

const iso = (ms: number) => new Date(ms).toISOString();

/** The v1 wire message of a `message` row (its current text; no `replyTo`, no `editedAt`). */
export function rowToV1Message(row: MessageRow): ChatMessage {
  return toChatMessage({
    id: row.id,
    room: row.room,
    sender: { id: Number(row.sender_id), username: row.sender_name },
    text: row.text,
    nonce: row.nonce ?? undefined,
    createdAtMs: Number(row.created_at),
  }, Number(row.seq));
}

/** The stored message of a `message` row. */
export function rowToMessage(row: MessageRow): StoredMessage {
  const message = rowToV1Message(row);
  if (row.reply_to === null && row.edited_at === null) return message;
  const out: { -readonly [K in keyof StoredMessage]: StoredMessage[K] } = message;
  if (row.reply_to !== null) out.replyTo = Number(row.reply_to);
  if (row.edited_at !== null) out.editedAt = iso(Number(row.edited_at));
  return out;
}

/** The logged event of any row of `messages`. */
export function rowToEvent(row: MessageRow): LoggedEvent {
  const user: PublicUser = { id: Number(row.sender_id), username: row.sender_name };
  const nonce = row.nonce === null ? {} : { nonce: row.nonce };
  switch (row.kind) {
    case "edit":
      return {
        type: "edit",
        seq: Number(row.seq),
        room: row.room,
        target: Number(row.target),
        text: row.text,
        editedAt: iso(Number(row.created_at)),
        sender: user,
        ...nonce,
      };
    case "delete":
      return {
        type: "delete",
        seq: Number(row.seq),
        room: row.room,
        target: Number(row.target),
        by: user,
        ...nonce,
      };
    default:
      return toLoggedMessage(rowToMessage(row));
  }
}

/** The record of a `rooms` row. */
export function rowToRoom(row: RoomRow): RoomRecord {
  return {
    name: row.name,
    title: row.title,
    visibility: row.visibility,
    ownerId: row.owner_id === null ? null : Number(row.owner_id),
    direct: Number(row.direct) === 1,
    createdAtMs: row.created_at === null ? null : Number(row.created_at),
    lastSeq: Number(row.last_seq),
    lastMessageAtMs: row.last_message_at === null ? null : Number(row.last_message_at),
  };
}

/** The columns {@linkcode rowToRoom} reads, for `SELECT`. */
export const ROOM_COLUMNS =
  "name, last_seq, visibility, title, owner_id, direct, created_at, last_message_at, active_at, pruned_through";
