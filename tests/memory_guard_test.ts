import assert from "node:assert/strict";
import { MemoryGuard, type MemorySample } from "../src/memory_guard.ts";

const MIB = 1024 * 1024;

/** A clock whose ticks the test runs by hand. */
function manualClock() {
  const runs: Array<{ run: () => void; ms: number; live: boolean }> = [];
  let stopped = 0;
  return {
    every: (run: () => void, ms: number) => {
      const timer = { run, ms, live: true };
      runs.push(timer);
      return () => {
        if (timer.live) stopped++;
        timer.live = false;
      };
    },
    /** Runs the live timer once (there is at most one). */
    tick: () => runs.filter((t) => t.live).forEach((t) => t.run()),
    get scheduled() {
      return runs.length;
    },
    /** The periods of the timers scheduled so far, in order. */
    get periods() {
      return runs.map((t) => t.ms);
    },
    get live() {
      return runs.filter((t) => t.live).length;
    },
    get stopped() {
      return stopped;
    },
  };
}

Deno.test("MemoryGuard: over once RSS reaches the mark, under again below it, each change reported once", () => {
  const clock = manualClock();
  let rss = 50 * MIB;
  const samples: MemorySample[] = [];
  const guard = new MemoryGuard({
    highWaterBytes: 100 * MIB,
    rss: () => rss,
    every: clock.every,
    onSample: (sample) => samples.push(sample),
  });
  assert.equal(clock.live, 1);
  assert.equal(guard.over, false);
  clock.tick();
  assert.equal(guard.over, false);
  rss = 100 * MIB;
  clock.tick();
  assert.equal(guard.over, true);
  assert.equal(guard.lastRss, 100 * MIB);
  rss = 300 * MIB;
  clock.tick();
  rss = 99 * MIB;
  clock.tick();
  assert.equal(guard.over, false);
  assert.deepEqual(samples.map((s) => [s.rss / MIB, s.over, s.changed]), [
    [50, false, false],
    [100, true, true],
    [300, true, false],
    [99, false, true],
  ]);
  guard.close();
  assert.equal(clock.live, 0);
});

Deno.test("MemoryGuard: samples every second, every 250 ms from half the mark up, and back", () => {
  const clock = manualClock();
  let rss = 10 * MIB;
  const guard = new MemoryGuard({ highWaterBytes: 100 * MIB, rss: () => rss, every: clock.every });
  assert.deepEqual(clock.periods, [1000]);
  clock.tick();
  assert.deepEqual(clock.periods, [1000], "far from the mark: the same pace");
  rss = 50 * MIB;
  clock.tick();
  assert.deepEqual(clock.periods, [1000, 250]);
  assert.equal(clock.live, 1, "the slow timer was stopped");
  rss = 120 * MIB;
  clock.tick();
  assert.equal(guard.over, true);
  assert.deepEqual(clock.periods, [1000, 250]);
  rss = 49 * MIB;
  clock.tick();
  assert.deepEqual(clock.periods, [1000, 250, 1000]);
  assert.equal(clock.live, 1);
  guard.close();
  assert.equal(clock.live, 0);
  assert.equal(clock.stopped, 3);
});

Deno.test("MemoryGuard: a mark of 0 is off: no timer, never over, the RSS is never read", () => {
  const clock = manualClock();
  const guard = new MemoryGuard({
    highWaterBytes: 0,
    rss: () => assert.fail("read the RSS"),
    every: clock.every,
  });
  assert.equal(clock.scheduled, 0);
  assert.equal(guard.sample(), false);
  assert.equal(guard.over, false);
  guard.close();
});

Deno.test("MemoryGuard: by default it samples the process's real RSS", () => {
  const guard = new MemoryGuard({ highWaterBytes: Number.MAX_SAFE_INTEGER });
  try {
    assert.equal(guard.sample(), false);
    assert.ok(guard.lastRss > MIB, `rss ${guard.lastRss}`);
  } finally {
    guard.close();
  }
  const tiny = new MemoryGuard({ highWaterBytes: 1 });
  assert.ok(tiny.sample());
  tiny.close();
});
