/**
 * Keeps the fuzzer alive in the suite: a short run against a real child server.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formatSummary, runFuzz } from "./fuzz.ts";

Deno.test({
  name: "fuzzer finds no failure in 2,000 random inputs against a child server",
  // Each run starts its own server process; allow it the time of a slow, shared machine.
  fn: async () => {
    const summary = await runFuzz({
      count: 2_000,
      concurrency: 8,
      seed: 4,
      warmup: 300,
      settleMs: 500,
      finalSettleMs: 500,
      phases: 1,
      timeLimitMs: 150_000,
      // Memory after 300 inputs is no baseline; the full run checks it.
      checkMemory: false,
      inspect: false,
    });
    const report = formatSummary(summary);
    assert.ok(summary.inputs >= 2_000, `only ${summary.inputs} inputs were sent:\n${report}`);
    assert.equal(summary.failures.length, 0, report);
    assert.ok(
      (summary.outcomes.get("ws handshake 101") ?? 0) > 0,
      `no socket was opened:\n${report}`,
    );
    assert.ok((summary.outcomes.get("http 201") ?? 0) > 0, `no user was created:\n${report}`);
  },
});
