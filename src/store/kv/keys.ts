/**
 * Every key of the Deno KV store, as namespaced tuples.
 *
 * - `["users", id]` → user record
 * - `["users_by_name", canonical]` → id (names up to 1,024 bytes)
 * - `["users_by_name_sha256", hex digest of canonical]` → id (longer names: KV keys stop at 2 KiB)
 * - `["counters", "users" | "audit"]` → last id
 * - `["rooms", room]` → {@linkcode KvRoom} (or, written by v1, the last `seq` as a number)
 * - `["messages", room, seq]` → kept, not deleted message ({@linkcode StoredMessage})
 * - `["events", room, seq]` → edit or delete event
 * - `["events_of", room, target, seq]` → `true`: event `seq` is about message `target`
 * - `["room_directory", activeAtMs, room]` → `true`, public rooms only
 * - `["members", room, userId]` → {@linkcode KvMember}; `["member_of", userId, room]` → role
 * - `["read", userId, room]` → `lastRead`; `["posted", userId, room]` → `true` once it posted there
 * - `["restrictions", kind, scope, userId]` → restriction (`scope` is the room or `""`)
 * - `["revoked_jti", jti]` (with `expireIn`), `["revoked_user", userId]`, and the feed
 *   `["revocations", atMs, kind, id]` (with `expireIn` of a day)
 * - `["audit", id]` → audit entry
 * - `["presence", room, node, part]` → part of a node's snapshot (with `expireIn`)
 * - `["secrets", name]` → value
 * - `["meta", "schema"]` → the data layout version
 *
 * @module
 */
import type { StoredMessage } from "../../model.ts";
import type { RoomRole, RoomVisibility } from "../api/rooms.ts";

/** A room's state, in one value so the hot path reads and writes one key. */
export interface KvRoom {
  readonly lastSeq: number;
  readonly lastMessageAtMs: number | null;
  /** The directory's order: the latest message's time (moved at most once a step), or the creation's. */
  readonly activeAtMs: number;
  readonly visibility: RoomVisibility;
  readonly title: string | null;
  readonly ownerId: number | null;
  readonly direct: boolean;
  readonly createdAtMs: number | null;
  readonly prunedThrough: number;
}

/** A membership as kept under `["members", room, userId]`. */
export interface KvMember {
  readonly username: string;
  readonly role: RoomRole;
  readonly sinceMs: number;
}

/** The message value, as `["messages", room, seq]` holds it. */
export type KvMessage = StoredMessage;

/** The key builders. */
export const keys = {
  room: (room: string): Deno.KvKey => ["rooms", room],
  message: (room: string, seq: number): Deno.KvKey => ["messages", room, seq],
  messages: (room: string): Deno.KvKey => ["messages", room],
  event: (room: string, seq: number): Deno.KvKey => ["events", room, seq],
  events: (room: string): Deno.KvKey => ["events", room],
  eventOf: (room: string, target: number, seq: number): Deno.KvKey => [
    "events_of",
    room,
    target,
    seq,
  ],
  eventsOf: (room: string, target?: number): Deno.KvKey =>
    target === undefined ? ["events_of", room] : ["events_of", room, target],
  directory: (activeAtMs: number, room: string): Deno.KvKey => [
    "room_directory",
    activeAtMs,
    room,
  ],
  member: (room: string, userId: number): Deno.KvKey => ["members", room, userId],
  memberOf: (userId: number, room: string): Deno.KvKey => ["member_of", userId, room],
  read: (userId: number, room: string): Deno.KvKey => ["read", userId, room],
  posted: (userId: number, room: string): Deno.KvKey => ["posted", userId, room],
  user: (id: number): Deno.KvKey => ["users", id],
};

/** The state of a room that has never been written. */
export const EMPTY_ROOM: KvRoom = {
  lastSeq: 0,
  lastMessageAtMs: null,
  activeAtMs: 0,
  visibility: "public",
  title: null,
  ownerId: null,
  direct: false,
  createdAtMs: null,
  prunedThrough: 0,
};

/** The state of a `["rooms", room]` value, including the bare `seq` v1 wrote. */
export function decodeRoom(value: KvRoom | number | null): KvRoom {
  if (value === null) return EMPTY_ROOM;
  if (typeof value === "number") return { ...EMPTY_ROOM, lastSeq: value };
  return value;
}
