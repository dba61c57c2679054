/**
 * The retention part of the {@linkcode import("../store.ts").Store}
 * (`MESSAGE_RETENTION_DAYS`, issue 11). Pruning removes a room's oldest
 * messages, oldest first, and every logged event up to the last one removed
 * (`prunedThrough`) or about a removed message, so what is kept is always
 * the log after one `seq`.
 *
 * @module
 */

/** What one {@linkcode RetentionStore.pruneRoom} call did. */
export interface PruneResult {
  /** How many messages it removed (edit and delete events not counted). */
  readonly removed: number;
  /** The highest `seq` retention has removed in the room, 0 when none. */
  readonly prunedThrough: number;
  /** `false` when it stopped at `maxMessages` and older messages remain: call again. */
  readonly done: boolean;
}

/** Retention. */
export interface RetentionStore {
  /**
   * Removes, oldest first, the room's messages created before `cutoffMs`,
   * stopping at the first one that is not (so a message created out of order
   * by a skewed clock may go with its older neighbours), with their edit and
   * delete events and every event up to the last removed `seq`.
   *
   * @param options.maxMessages at most this many messages per call (default 1,000)
   */
  pruneRoom(
    room: string,
    cutoffMs: number,
    options?: { readonly maxMessages?: number },
  ): Promise<PruneResult>;
  /**
   * The lowest `seq` retention still keeps in the room: `prunedThrough + 1`
   * (1 when nothing was pruned). A v2 `since` below `oldestKeptSeq - 1` cannot
   * be replayed in full: events after it are gone.
   */
  oldestKeptSeq(room: string): Promise<number>;
}
