/**
 * The room log a v2 stream follows: the store's logged events (`message`,
 * `edit`, `delete`), with a {@linkcode Hole} in each place the store leaves
 * out (the message event of a deleted message, and its edits: their text is
 * gone). A room's stream needs every `seq` to move on, so a hole stands in
 * for what the store no longer tells; it never reaches the wire.
 *
 * @module
 */
import type { LoggedEvent } from "../model.ts";
import type { MessageQuery, Store } from "../store/store.ts";
import type { EventLog } from "./room_stream.ts";

/** A `seq` of the room's log the store no longer tells (erased with a deleted message). */
export interface Hole {
  readonly type: "hole";
  readonly seq: number;
  readonly room: string;
}

/** What a v2 room stream carries. */
export type RoomLogEvent = LoggedEvent | Hole;

/**
 * Puts a hole in every `seq` the read covered but did not return: between two
 * returned events always; before the first and after the last when the query
 * read from the oldest end with `after` (and `before`, unless the page was full).
 */
export function withHoles(
  room: string,
  events: readonly LoggedEvent[],
  query: MessageQuery,
): RoomLogEvent[] {
  const out: RoomLogEvent[] = [];
  const oldest = query.from === "oldest" && query.after !== undefined;
  let next = oldest ? query.after! + 1 : events[0]?.seq ?? 0;
  for (const event of events) {
    for (; next < event.seq; next++) out.push({ type: "hole", seq: next, room });
    out.push(event);
    next = event.seq + 1;
  }
  if (oldest && query.before !== undefined && events.length < query.limit) {
    for (; next < query.before; next++) out.push({ type: "hole", seq: next, room });
  }
  return out;
}

/** The store's log of logged events, with holes, as a room stream reads it. */
export function eventLog(store: Pick<Store, "listEvents" | "lastSeq">): EventLog<RoomLogEvent> {
  return {
    read: async (room, query) => withHoles(room, await store.listEvents(room, query), query),
    lastSeq: (room) => store.lastSeq(room),
  };
}
