/**
 * How much slower the same work runs on this machine when it is the first
 * thing a process does after a short sleep, as a server at 30 msg/s does
 * every 33 ms. Each probe runs `--count` times back to back, then `--count`
 * times with `--gap-ms` of sleep before each call; the medians are printed
 * side by side.
 *
 * Probes: our SQLite store's `appendMessage` (the hot path's write), a plain
 * `INSERT` into an in-memory SQLite database, reading one field of 1,000
 * objects (a fan-out's walk over its sockets), and pure arithmetic.
 *
 * `deno run -A bench/cold_probe.ts [--count=300] [--gap-ms=33]`
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { openSqliteStore } from "../src/store/sqlite_store.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    count: { type: "string", default: "300" },
    "gap-ms": { type: "string", default: "33" },
  },
});
const count = Number(values.count);
const gapMs = Number(values["gap-ms"]);
if (!Number.isInteger(count) || count < 10 || count > 10_000 || !(gapMs >= 1 && gapMs <= 1000)) {
  console.error("--count: 10 to 10000; --gap-ms: 1 to 1000");
  Deno.exit(2);
}

const dir = await Deno.makeTempDir({ prefix: "chat-cold-probe-" });
const store = openSqliteStore({ path: `${dir}/probe.sqlite3` });
const sender = await store.createUser({ username: "probe", canonical: "probe", passwordHash: "-" });
const memory = new DatabaseSync(":memory:");
memory.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)");
const insert = memory.prepare("INSERT INTO t (text) VALUES (?)");
const objects = Array.from({ length: 1000 }, (_, i) => ({ id: i, open: true, buffered: 0 }));
let sink = 0;

const probes: Record<string, () => unknown> = {
  "our SQLite append": () =>
    store.appendMessage({
      id: crypto.randomUUID(),
      room: "probe",
      sender,
      text: `probe ${"x".repeat(88)}`,
      createdAtMs: Date.now(),
    }),
  "in-memory SQLite insert": () => insert.run("probe"),
  "read 1,000 objects": () => {
    for (const o of objects) if (o.open) sink += o.buffered;
  },
  "arithmetic (10,000 steps)": () => {
    let x = 1;
    for (let i = 0; i < 10_000; i++) x = (x * 31 + i) % 1_000_003;
    sink += x;
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

/** Median µs of `probe`, each call after `gap` ms of sleep (0: back to back). */
async function measure(probe: () => unknown, gap: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    if (gap) await sleep(gap);
    const t = performance.now();
    await probe();
    times.push((performance.now() - t) * 1000);
  }
  return median(times);
}

console.log(`| probe | back to back (µs, median) | after ${gapMs} ms asleep | slower |`);
console.log("| --- | --- | --- | --- |");
for (const [name, probe] of Object.entries(probes)) {
  const warm = await measure(probe, 0);
  const cold = await measure(probe, gapMs);
  console.log(
    `| ${name} | ${warm.toFixed(1)} | ${cold.toFixed(1)} | ${(cold / warm).toFixed(1)}× |`,
  );
}
await store.close();
memory.close();
await Deno.remove(dir, { recursive: true });
if (sink === -1) console.log(sink); // keeps the loops from being optimised away
