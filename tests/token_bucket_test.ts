import assert from "node:assert/strict";
import { TokenBucket } from "../src/token_bucket.ts";

function clock(start = 1_000_000) {
  const c = { ms: start, now: () => c.ms };
  return c;
}

Deno.test("TokenBucket.take() allows the burst, then refuses", () => {
  const c = clock();
  const bucket = new TokenBucket(3, 1, c.now);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [
    true,
    true,
    true,
    false,
  ]);
  assert.equal(bucket.take(), false);
});

Deno.test("TokenBucket refills at its rate and says how long to wait", () => {
  const c = clock();
  const bucket = new TokenBucket(2, 4, c.now); // one token per 250 ms
  bucket.take();
  bucket.take();
  assert.equal(bucket.waitMs(), 250);
  c.ms += 100;
  assert.equal(bucket.take(), false);
  assert.equal(bucket.waitMs(), 150);
  c.ms += 150;
  assert.equal(bucket.waitMs(), 0);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
});

Deno.test("TokenBucket with a fractional rate waits whole seconds per token", () => {
  const c = clock();
  const bucket = new TokenBucket(1, 0.5, c.now);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.waitMs(), 2000);
  c.ms += 1999;
  assert.equal(bucket.take(), false);
  c.ms += 1;
  assert.equal(bucket.take(), true);
});

Deno.test("TokenBucket never holds more than its burst and reports when full", () => {
  const c = clock();
  const bucket = new TokenBucket(3, 1, c.now);
  assert.equal(bucket.full, true);
  bucket.take();
  assert.equal(bucket.full, false);
  c.ms += 60_000;
  assert.equal(bucket.full, true);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [
    true,
    true,
    true,
    false,
  ]);
});

Deno.test("TokenBucket.giveBack() returns a taken token, never past the burst", () => {
  let ms = 0;
  const bucket = new TokenBucket(2, 1, () => ms);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  bucket.giveBack();
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  ms += 5000; // refilled to the burst
  bucket.giveBack();
  bucket.giveBack();
  assert.equal(bucket.full, true);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
});
