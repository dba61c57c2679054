/**
 * One Deno KV handle as every module of the KV store uses it: the error rule,
 * optimistic retries of `atomic()` commits, and one queue per room for the
 * writes to its log.
 *
 * @module
 */
import { storeClosed, storeFailure } from "../store_failure.ts";

/** How often a commit whose checks failed is tried again before giving up (503). */
const MAX_ATTEMPTS = 200;

/** What one `build` of {@linkcode KvContext.retry} returns: the op to commit, and the result. */
export interface Attempt<T> {
  /** `undefined`: nothing to commit, `value` is the answer. */
  readonly op?: Deno.AtomicOperation;
  readonly value: T;
}

/** What the modules of the KV store share. */
export interface KvContext {
  readonly kv: Deno.Kv;
  /** Milliseconds since the epoch (presence expiry). */
  readonly now: () => number;
  /** Runs `fn` as a store call: rejects at once when closed, maps failures by the error rule. */
  guard<T>(fn: () => Promise<T>): Promise<T>;
  /** Commits the atomic op `build` returns, building it again while its checks fail. */
  retry<T>(build: () => Promise<Attempt<T>>): Promise<T>;
  /**
   * Runs the writes to one room's log through this handle one at a time, so
   * they do not fail each other's checks; other handles are met by the retry.
   */
  serial<T>(room: string, fn: () => Promise<T>): Promise<T>;
  /** Reads up to any number of keys, ten per request (KV's limit). */
  getMany<T>(keys: readonly Deno.KvKey[]): Promise<Deno.KvEntryMaybe<T>[]>;
  /** Commits `mutate` for each of `items`, at most `batch` per op (KV caps an op's size). */
  commitInBatches<I>(
    items: readonly I[],
    mutate: (op: Deno.AtomicOperation, item: I) => void,
    batch?: number,
  ): Promise<void>;
  readonly closed: boolean;
  close(): void;
}

/**
 * Commits `op`. A local KV file shared by several handles (isolates) answers a
 * checked commit that races another writer with "database is locked"; that is
 * a lost race like a failed check, so it is reported the same way.
 */
async function commitOrBusy(op: Deno.AtomicOperation): Promise<{ ok: boolean }> {
  try {
    return await op.commit();
  } catch (error) {
    if (error instanceof Error && /database is locked|busy/i.test(error.message)) {
      return { ok: false };
    }
    throw error;
  }
}

/** Wraps an open handle. */
export function kvContext(kv: Deno.Kv, now: () => number): KvContext {
  let closed = false;
  /** The last pending log write of each room through this handle. */
  const tails = new Map<string, Promise<void>>();
  return {
    kv,
    now,
    get closed() {
      return closed;
    },
    async guard<T>(fn: () => Promise<T>): Promise<T> {
      if (closed) throw storeClosed();
      try {
        return await fn();
      } catch (error) {
        // Deno KV reports what it refuses of our input (a key or value too large)
        // as a TypeError or RangeError; anything else of its own is an outage.
        throw storeFailure(error, () => true);
      }
    },
    async retry<T>(build: () => Promise<Attempt<T>>): Promise<T> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { op, value } = await build();
        if (!op || (await commitOrBusy(op)).ok) return value;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt)));
      }
      throw new Error("too much contention");
    },
    serial<T>(room: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(room) ?? Promise.resolve();
      const result = previous.then(fn, fn);
      const tail = result.then(() => {}, () => {});
      tails.set(room, tail);
      tail.then(() => {
        if (tails.get(room) === tail) tails.delete(room);
      });
      return result;
    },
    async getMany<T>(keys: readonly Deno.KvKey[]): Promise<Deno.KvEntryMaybe<T>[]> {
      const out: Deno.KvEntryMaybe<T>[] = [];
      for (let i = 0; i < keys.length; i += 10) {
        out.push(...await kv.getMany<T[]>(keys.slice(i, i + 10)));
      }
      return out;
    },
    async commitInBatches<I>(
      items: readonly I[],
      mutate: (op: Deno.AtomicOperation, item: I) => void,
      batch = 400,
    ): Promise<void> {
      for (let i = 0; i < items.length; i += batch) {
        const op = kv.atomic();
        for (const item of items.slice(i, i + batch)) mutate(op, item);
        await op.commit();
      }
    },
    close() {
      if (closed) return;
      closed = true;
      kv.close();
    },
  };
}

/** Every entry of a listing. */
export async function listAll<T>(
  iterator: Deno.KvListIterator<T>,
): Promise<Deno.KvEntry<T>[]> {
  const out: Deno.KvEntry<T>[] = [];
  for await (const entry of iterator) out.push(entry);
  return out;
}

/**
 * The selector of a `seq` range under `prefix` (`after` < seq < `before`);
 * `undefined` when the range is empty. KV refuses `prefix`, `start` and `end`
 * all set, so a range with both ends uses `start` and `end` alone.
 */
export function seqRange(
  prefix: Deno.KvKey,
  after: number | undefined,
  before: number | undefined,
): Deno.KvListSelector | undefined {
  if (after !== undefined && before !== undefined && after + 1 >= before) return undefined;
  const start = after !== undefined ? [...prefix, after + 1] : undefined;
  const end = before !== undefined ? [...prefix, before] : undefined;
  return start && end
    ? { start, end }
    : start
    ? { prefix, start }
    : end
    ? { prefix, end }
    : { prefix };
}
