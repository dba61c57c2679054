import assert from "node:assert/strict";
import { timingSafeEqual } from "../../src/auth/timing_safe_equal.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

Deno.test("timingSafeEqual() is true for equal bytes, including empty arrays", () => {
  assert.equal(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2, 3)), true);
  assert.equal(timingSafeEqual(bytes(), bytes()), true);
  const big = crypto.getRandomValues(new Uint8Array(1024));
  assert.equal(timingSafeEqual(big, big.slice()), true);
});

Deno.test("timingSafeEqual() is false when any one byte differs", () => {
  const base = crypto.getRandomValues(new Uint8Array(64));
  for (const index of [0, 31, 63]) {
    const other = base.slice();
    other[index] = other[index]! ^ 0x01;
    assert.equal(timingSafeEqual(base, other), false, `index ${index}`);
  }
  assert.equal(timingSafeEqual(bytes(0), bytes(255)), false);
});

Deno.test("timingSafeEqual() is false when the lengths differ", () => {
  assert.equal(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2)), false);
  assert.equal(timingSafeEqual(bytes(1, 2), bytes(1, 2, 0)), false);
  assert.equal(timingSafeEqual(bytes(), bytes(0)), false);
});
