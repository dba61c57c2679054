/**
 * Brings a KV database written by an older server up to date, once: v1 kept
 * a room's state as its bare last `seq`, with no directory key. Each such room
 * gets its state (the latest message's time as its activity) and its
 * directory key, in one checked `atomic()` per room.
 *
 * @module
 */
import type { KvMessage, KvRoom } from "./keys.ts";
import { EMPTY_ROOM, keys } from "./keys.ts";

/** The data layout this code writes. */
const LAYOUT = 1;

/** Migrates `kv` if it has not been yet; safe to run from several handles at once. */
export async function migrateKv(kv: Deno.Kv): Promise<void> {
  const marker = await kv.get<number>(["meta", "schema"]);
  if ((marker.value ?? 0) >= LAYOUT) return;
  for await (const entry of kv.list<KvRoom | number>({ prefix: ["rooms"] })) {
    if (typeof entry.value !== "number") continue;
    const room = entry.key[1] as string;
    let at: number | null = null;
    for await (
      const last of kv.list<KvMessage>({ prefix: keys.messages(room) }, { reverse: true, limit: 1 })
    ) at = Date.parse(last.value.createdAt);
    const state: KvRoom = {
      ...EMPTY_ROOM,
      lastSeq: entry.value,
      lastMessageAtMs: at,
      activeAtMs: at ?? 0,
    };
    const op = kv.atomic().check(entry).set(entry.key, state);
    if (at !== null) op.set(keys.directory(at, room), true);
    await op.commit(); // a lost check means another handle (or an append) did it
  }
  await kv.set(["meta", "schema"], LAYOUT);
}
