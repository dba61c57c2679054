import assert from "node:assert/strict";
import { concurrencyLimit } from "../../src/auth/concurrency_limit.ts";

Deno.test("concurrencyLimit() runs at most `limit` tasks at once, in order, and passes failures on", async () => {
  const run = concurrencyLimit(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (n: number) => async () => {
    started.push(n);
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    if (n === 3) throw new Error("task 3 failed");
    return n;
  };
  const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => run(task(n))));
  assert.equal(peak, 2);
  assert.deepEqual(started, [1, 2, 3, 4, 5]);
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "rejected",
    "fulfilled",
    "fulfilled",
  ]);
});
