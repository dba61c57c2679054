/**
 * Message retention (`MESSAGE_RETENTION_DAYS`): a timer that prunes every
 * room's messages older than the retention, once at start and then every
 * hour. Pruning is idempotent, so the isolates and processes that share a
 * store may all run it.
 *
 * @module
 */
import type { Logger } from "./log.ts";
import type { Store } from "./store/store.ts";
import { pruneAllRooms, retentionCutoff } from "./store/retention.ts";

/** Options of {@linkcode startRetentionJob}. */
export interface RetentionJobOptions {
  readonly store: Pick<Store, "listRoomNames" | "pruneRoom">;
  /** Days a message is kept; 0 keeps every message and starts nothing. */
  readonly days: number;
  readonly logger: Logger;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Between two runs; default one hour. */
  readonly intervalMs?: number;
}

/** A running retention job. */
export interface RetentionJob {
  /** Resolves when the run under way (if any) has finished. */
  settled(): Promise<void>;
  /** Stops the timer; waits for the run under way. */
  close(): Promise<void>;
}

/** Starts the job; with `days` 0 it does nothing. */
export function startRetentionJob(options: RetentionJobOptions): RetentionJob {
  const now = options.now ?? Date.now;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const run = () => {
    running = running.then(async () => {
      if (closed) return;
      try {
        const { rooms, removed } = await pruneAllRooms(
          options.store,
          retentionCutoff(now(), options.days),
        );
        if (removed > 0) options.logger.info("Pruned old messages", { rooms, removed });
      } catch (error) {
        options.logger.warn("Cannot prune old messages; will try again", { error });
      }
    });
    if (!closed) {
      timer = setTimeout(run, options.intervalMs ?? 3_600_000);
      Deno.unrefTimer(timer);
    }
  };
  if (options.days > 0) run();
  return {
    settled: () => running,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
