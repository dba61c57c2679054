/**
 * The record of a room's KV state.
 *
 * @module
 */
import type { RoomRecord } from "../api/rooms.ts";
import type { KvRoom } from "./keys.ts";

/** The {@linkcode RoomRecord} of a room's name and state. */
export function toRoomRecord(name: string, state: KvRoom): RoomRecord {
  return {
    name,
    title: state.title,
    visibility: state.visibility,
    ownerId: state.ownerId,
    direct: state.direct,
    createdAtMs: state.createdAtMs,
    lastSeq: state.lastSeq,
    lastMessageAtMs: state.lastMessageAtMs,
  };
}
