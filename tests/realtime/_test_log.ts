/**
 * Test helper: a room log over a real `:memory:` SQLite store whose reads can
 * be held open or failed, and which can be wiped (swapped for a fresh, empty
 * store) to play a database that was reset.
 *
 * @module
 */
import type { ChatMessage } from "../../src/model.ts";
import type { EventLog } from "../../src/realtime/room_stream.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { MessageQuery, Store } from "../../src/store/store.ts";

/** A read held until `open()`, awaited before or after the real read. */
export interface Gate {
  readonly promise: Promise<void>;
  readonly when: "before" | "after";
  open(): void;
}

/** A gate for {@linkcode TestLog.hooks}. */
export function gate(when: "before" | "after"): Gate {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { promise, when, open: resolve };
}

/** Hooks a test uses to hold or fail a log read while messages flow. */
export interface LogHooks {
  listGate?: Gate;
  lastSeqGate?: Gate;
  failList?: (query: MessageQuery) => boolean;
  failLastSeq?: () => boolean;
}

/** A real store, the hooked log over it, and helpers to fill it. */
export interface TestLog extends AsyncDisposable {
  /** The current store (a new one after {@linkcode TestLog.wipe}). */
  readonly store: Store;
  readonly log: EventLog<ChatMessage>;
  readonly hooks: LogHooks;
  /** Stores a message in `room` without publishing it. */
  append(room: string): Promise<ChatMessage>;
  appendMany(room: string, count: number): Promise<ChatMessage[]>;
  /** Replaces the store with an empty one, as a wiped database. */
  wipe(): Promise<void>;
}

async function gated<T>(hold: Gate | undefined, read: () => Promise<T>): Promise<T> {
  if (hold?.when === "before") await hold.promise;
  const result = await read();
  if (hold?.when === "after") await hold.promise;
  return result;
}

/** Opens a {@linkcode TestLog} on a fresh `:memory:` store. */
export function openTestLog(): TestLog {
  let store = openSqliteStore({ path: ":memory:" });
  const hooks: LogHooks = {};
  let n = 0;
  const append = (room: string) =>
    store.appendMessage({
      id: `id-${++n}`,
      room,
      sender: { id: 1, username: "alice" },
      text: `text ${n}`,
      createdAtMs: 1_764_000_000_000 + n,
    });
  return {
    get store() {
      return store;
    },
    hooks,
    log: {
      read(room, query) {
        if (hooks.failList?.(query)) return Promise.reject(new Error("list failed"));
        return gated(hooks.listGate, () => store.listMessages(room, query));
      },
      lastSeq(room) {
        if (hooks.failLastSeq?.()) return Promise.reject(new Error("lastSeq failed"));
        return gated(hooks.lastSeqGate, () => store.lastSeq(room));
      },
    },
    append,
    async appendMany(room, count) {
      const out: ChatMessage[] = [];
      for (let i = 0; i < count; i++) out.push(await append(room));
      return out;
    },
    async wipe() {
      const old = store;
      store = openSqliteStore({ path: ":memory:" });
      await old.close();
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
}
