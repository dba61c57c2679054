/**
 * Retention over every room (`MESSAGE_RETENTION_DAYS`): a job calls
 * {@linkcode pruneAllRooms} now and then with `now - days * 86_400_000`.
 *
 * @module
 */
import type { RetentionStore } from "./api/retention.ts";
import type { RoomStore } from "./api/rooms.ts";

/** How much one {@linkcode pruneAllRooms} run did. */
export interface PruneAllResult {
  /** Rooms looked at. */
  readonly rooms: number;
  /** Messages removed. */
  readonly removed: number;
}

/** The milliseconds since the epoch before which messages go, for a retention of `days`. */
export function retentionCutoff(nowMs: number, days: number): number {
  return nowMs - days * 86_400_000;
}

/**
 * Prunes every room's messages created before `cutoffMs`, a page of rooms at
 * a time and at most `maxMessages` messages per call.
 */
export async function pruneAllRooms(
  store: Pick<RoomStore, "listRoomNames"> & Pick<RetentionStore, "pruneRoom">,
  cutoffMs: number,
  options: { readonly pageSize?: number; readonly maxMessages?: number } = {},
): Promise<PruneAllResult> {
  let cursor: string | undefined;
  let rooms = 0;
  let removed = 0;
  do {
    const page = await store.listRoomNames({ cursor, limit: options.pageSize ?? 200 });
    for (const room of page.names) {
      rooms++;
      for (;;) {
        const result = await store.pruneRoom(room, cutoffMs, { maxMessages: options.maxMessages });
        removed += result.removed;
        // A call that removed nothing and is not done would loop forever.
        if (result.done || result.removed === 0) break;
      }
    }
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  return { rooms, removed };
}
