/**
 * The JSON the Redis store keeps for messages and events, and the records it
 * stands for. A message's JSON starts with its `seq` (`{"seq":N,…`), so a Lua
 * script can write it under the `seq` it assigns.
 *
 * @module
 */
import type {
  DeleteEvent,
  EditEvent,
  LoggedEvent,
  NewMessage,
  PublicUser,
  StoredMessage,
} from "../../model.ts";
import { toChatMessage } from "../../model.ts";
import type { RoomRecord } from "../api/rooms.ts";

/** A message as kept in a room's log; its room is the key's. */
export interface RedisMessage {
  seq: number;
  id: string;
  sender: PublicUser;
  text: string;
  createdAtMs: number;
  nonce?: string;
  replyTo?: number;
  editedAtMs?: number;
}

/** An edit or delete event as kept in `events:<room>`. */
export type RedisEvent =
  | {
    seq: number;
    type: "edit";
    target: number;
    editedAtMs: number;
    sender: PublicUser;
    nonce?: string;
    text: string;
  }
  | { seq: number; type: "delete"; target: number; by: PublicUser; nonce?: string };

/** The JSON of a new message without its `seq` (the script puts it first). */
export function newMessageBody(message: NewMessage): string {
  const body: Omit<RedisMessage, "seq"> = {
    id: message.id,
    sender: { id: message.sender.id, username: message.sender.username },
    text: message.text,
    createdAtMs: message.createdAtMs,
    ...(message.nonce !== undefined ? { nonce: message.nonce } : {}),
    ...(message.replyTo !== undefined ? { replyTo: message.replyTo } : {}),
  };
  return JSON.stringify(body);
}

/** The stored message of a log member. */
export function toStoredMessage(room: string, raw: string): StoredMessage {
  const stored = JSON.parse(raw) as RedisMessage;
  const message = toChatMessage({
    id: stored.id,
    room,
    sender: stored.sender,
    text: stored.text,
    nonce: stored.nonce,
    createdAtMs: stored.createdAtMs,
  }, stored.seq);
  if (stored.replyTo === undefined && stored.editedAtMs === undefined) return message;
  return {
    ...message,
    ...(stored.editedAtMs !== undefined
      ? { editedAt: new Date(stored.editedAtMs).toISOString() }
      : {}),
    ...(stored.replyTo !== undefined ? { replyTo: stored.replyTo } : {}),
  };
}

/** The logged event of an `events:<room>` member. */
export function toEvent(room: string, raw: string): EditEvent | DeleteEvent {
  const event = JSON.parse(raw) as RedisEvent;
  const nonce = event.nonce !== undefined ? { nonce: event.nonce } : {};
  if (event.type === "edit") {
    return {
      type: "edit",
      seq: event.seq,
      room,
      target: event.target,
      text: event.text,
      editedAt: new Date(event.editedAtMs).toISOString(),
      sender: event.sender,
      ...nonce,
    };
  }
  return { type: "delete", seq: event.seq, room, target: event.target, by: event.by, ...nonce };
}

/** An event without its `seq`, which the script assigns. */
export type RedisEventBody = RedisEvent extends infer E ? E extends unknown ? Omit<E, "seq"> : never
  : never;

/** The JSON of an event without its `seq`. */
export function eventBody(event: RedisEventBody): string {
  return JSON.stringify(event);
}

/** Orders logged events by `seq`. */
export const bySeq = (a: LoggedEvent, b: LoggedEvent): number => a.seq - b.seq;

/** A room's hash and counter as a record; `undefined` when the counter does not exist. */
export function toRoomRecord(
  name: string,
  seq: string | null,
  hash: Record<string, string>,
): RoomRecord | undefined {
  if (seq === null) return undefined;
  const num = (field: string) => hash[field] === undefined ? null : Number(hash[field]);
  return {
    name,
    title: hash.title ?? null,
    visibility: hash.visibility === "private" ? "private" : "public",
    ownerId: num("owner"),
    direct: hash.direct === "1",
    createdAtMs: num("created_at"),
    lastSeq: Number(seq),
    lastMessageAtMs: num("last_message_at"),
  };
}

/** The directory's order key of a room's hash. */
export function activityOf(hash: Record<string, string>): number {
  return Number(hash.active_at ?? 0);
}
