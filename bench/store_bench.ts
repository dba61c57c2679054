/**
 * Micro-benchmarks of `appendMessage`, the one store call on every message's
 * path, on SQLite (a WAL file, as served, and `:memory:`) and Deno KV (a file
 * and `:memory:`).
 *
 * @module
 */
import type { NewMessage } from "../src/model.ts";
import { openKvStore } from "../src/store/kv_store.ts";
import { openSqliteStore } from "../src/store/sqlite_store.ts";

const dir = await Deno.makeTempDir({ prefix: "chat-store-bench-" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // Already gone.
  }
});

const stores = {
  "SQLite file (WAL)": openSqliteStore({ path: `${dir}/chat.sqlite3` }),
  "SQLite :memory:": openSqliteStore({ path: ":memory:" }),
  "KV file": await openKvStore({ path: `${dir}/chat.kv` }),
  "KV :memory:": await openKvStore({ path: ":memory:" }),
};

let n = 0;
const message = (room: string): NewMessage => ({
  id: `m-${++n}`,
  room,
  sender: { id: 12, username: "alice" },
  text: "hello everyone, how is it going today?",
  nonce: "c-1732540000-42",
  createdAtMs: 1_732_540_000_000 + n,
});

for (const [name, store] of Object.entries(stores)) {
  Deno.bench(`appendMessage: ${name}`, { group: "appendMessage" }, async () => {
    await store.appendMessage(message("lobby"));
  });
}
