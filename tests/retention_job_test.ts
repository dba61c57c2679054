import assert from "node:assert/strict";
import { createLogger } from "../src/log.ts";
import { startRetentionJob } from "../src/retention_job.ts";
import { openSqliteStore } from "../src/store/sqlite_store.ts";
import { newMessage } from "./store/contract/helpers.ts";

const DAY = 86_400_000;
const silent = createLogger("error", () => {});

Deno.test("startRetentionJob() prunes messages older than the retention in every room, and keeps the rest", async () => {
  const store = await openSqliteStore({ path: ":memory:" });
  const now = Date.parse("2026-12-03T12:00:00Z");
  for (const room of ["a", "b"]) {
    await store.appendMessage(newMessage(room, { createdAtMs: now - 40 * DAY }));
    await store.appendMessage(newMessage(room, { createdAtMs: now - 31 * DAY }));
    await store.appendMessage(newMessage(room, { createdAtMs: now - 29 * DAY }));
  }
  const job = startRetentionJob({ store, days: 30, logger: silent, now: () => now });
  await job.settled();
  await job.close();
  for (const room of ["a", "b"]) {
    assert.deepEqual((await store.listMessages(room, { limit: 10 })).map((m) => m.seq), [3]);
    assert.equal(await store.oldestKeptSeq(room), 3);
  }
  await store.close();
});

Deno.test("startRetentionJob() with 0 days keeps everything", async () => {
  const store = await openSqliteStore({ path: ":memory:" });
  await store.appendMessage(newMessage("a", { createdAtMs: 0 }));
  const job = startRetentionJob({ store, days: 0, logger: silent });
  await job.close();
  assert.equal((await store.listMessages("a", { limit: 10 })).length, 1);
  await store.close();
});

Deno.test("startRetentionJob() logs a store failure and keeps going", async () => {
  const lines: string[] = [];
  const logger = createLogger("warn", (line) => lines.push(line));
  const store = await openSqliteStore({ path: ":memory:" });
  await store.close();
  const job = startRetentionJob({ store, days: 1, logger });
  await job.settled();
  await job.close();
  assert.ok(lines.some((l) => l.includes("Cannot prune old messages")), lines.join("\n"));
});
