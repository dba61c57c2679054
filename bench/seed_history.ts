/**
 * Seeds one room's log with many messages, fast: one SQLite transaction, or
 * Deno KV atomic batches in the KV store's key layout. The schema comes from
 * the store adapters themselves, and each seed is read back through its
 * adapter, so a change of layout fails here rather than skewing the figures.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { type NewMessage, toChatMessage } from "../src/model.ts";
import { openKvStore } from "../src/store/kv_store.ts";
import { openSqliteStore } from "../src/store/sqlite_store.ts";
import type { Store } from "../src/store/store.ts";

/** What a seed wrote. */
export interface SeedResult {
  readonly messages: number;
  readonly ms: number;
}

const SENDER = { id: 1, username: "seed" } as const;
const START_MS = Date.UTC(2025, 0, 1);

/** The `seq`-th seeded message of a room (1-based). */
export function seededMessage(room: string, seq: number): NewMessage {
  return {
    id: `seed-${seq.toString(36).padStart(8, "0")}-${room}`,
    room,
    sender: SENDER,
    text: `Seeded message ${seq}: the quick brown fox jumps over the lazy dog.`,
    createdAtMs: START_MS + seq * 1000,
  };
}

async function verify(store: Store, room: string, count: number): Promise<void> {
  try {
    const last = await store.lastSeq(room);
    if (last !== count) throw new Error(`lastSeq is ${last}, expected ${count}`);
    const middle = Math.max(2, Math.floor(count / 2));
    const page = await store.listMessages(room, { before: middle, limit: 1 });
    if (
      page.length !== 1 || page[0]!.seq !== middle - 1 ||
      page[0]!.text !== seededMessage(room, middle - 1).text
    ) {
      throw new Error(`the page before ${middle} reads back as ${JSON.stringify(page)}`);
    }
  } finally {
    await store.close();
  }
}

/** Writes `count` messages to `room` in the SQLite file at `path` (created if needed). */
export async function seedSqlite(path: string, room: string, count: number): Promise<SeedResult> {
  const started = performance.now();
  await openSqliteStore({ path }).close(); // creates the schema
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("BEGIN IMMEDIATE");
    const insert = db.prepare(
      "INSERT INTO messages (room, seq, id, sender_id, sender_name, text, nonce, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
    );
    for (let seq = 1; seq <= count; seq++) {
      const m = seededMessage(room, seq);
      insert.run(room, seq, m.id, m.sender.id, m.sender.username, m.text, m.createdAtMs);
    }
    db.prepare(
      "INSERT INTO rooms (name, last_seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq",
    ).run(room, count);
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  await verify(openSqliteStore({ path }), room, count);
  return { messages: count, ms: Math.round(performance.now() - started) };
}

/**
 * Writes `count` messages to `room` in the Deno KV database at `path`, in
 * atomic batches of `batch` with up to `inFlight` commits at once.
 */
export async function seedKv(
  path: string,
  room: string,
  count: number,
  batch = 500,
  inFlight = 4,
): Promise<SeedResult> {
  const started = performance.now();
  const kv = await Deno.openKv(path);
  try {
    let next = 1;
    const worker = async () => {
      while (next <= count) {
        const from = next;
        const to = Math.min(count, from + batch - 1);
        next = to + 1;
        const op = kv.atomic();
        for (let seq = from; seq <= to; seq++) {
          op.set(["messages", room, seq], toChatMessage(seededMessage(room, seq), seq));
        }
        const result = await op.commit();
        if (!result.ok) throw new Error(`KV batch ${from}..${to} did not commit`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    await kv.set(["rooms", room], count);
  } finally {
    kv.close();
  }
  await verify(await openKvStore({ path }), room, count);
  return { messages: count, ms: Math.round(performance.now() - started) };
}
