import assert from "node:assert/strict";
import {
  ABNORMAL_CLOSURE,
  CLOSE,
  type CloseName,
  closeNameOf,
  POLICY_VIOLATION,
} from "../../src/contract/mod.js";

Deno.test("CLOSE holds the contract's close table: code and reason word of every close", () => {
  assert.deepEqual(
    Object.entries(CLOSE).map(([name, { code, reason }]) => [name, code, reason]),
    [
      ["NORMAL", 1000, ""],
      ["SHUTDOWN", 1001, "SHUTDOWN"],
      ["BINARY_NOT_SUPPORTED", 1003, "BINARY_NOT_SUPPORTED"],
      ["BAD_MESSAGE", 1007, "BAD_MESSAGE"],
      ["READ_ONLY", 1008, "READ_ONLY"],
      ["RATE_LIMITED", 1008, "RATE_LIMITED"],
      ["TOKEN_EXPIRED", 1008, "TOKEN_EXPIRED"],
      ["TOKEN_REVOKED", 1008, "TOKEN_REVOKED"],
      ["MUTED", 1008, "MUTED"],
      ["TOO_BIG", 1009, "TOO_BIG"],
      ["INTERNAL_ERROR", 1011, "INTERNAL_ERROR"],
      ["SLOW_CONSUMER", 1013, "SLOW_CONSUMER"],
      ["OVERLOADED", 1013, "OVERLOADED"],
      ["KICKED", 4001, "KICKED"],
      ["BANNED", 4003, "BANNED"],
    ],
  );
});

Deno.test("CLOSE and its rows are frozen", () => {
  assert.ok(Object.isFrozen(CLOSE));
  for (const row of Object.values(CLOSE)) assert.ok(Object.isFrozen(row));
  assert.throws(() => {
    (CLOSE.TOO_BIG as { code: number }).code = 1000;
  }, TypeError);
});

Deno.test("the policy closes share 1008 and 1006 is never in the table", () => {
  assert.equal(POLICY_VIOLATION, 1008);
  assert.equal(ABNORMAL_CLOSURE, 1006);
  const policy = Object.values(CLOSE).filter((row) => row.code === POLICY_VIOLATION);
  assert.deepEqual(policy.map((row) => row.reason), [
    "READ_ONLY",
    "RATE_LIMITED",
    "TOKEN_EXPIRED",
    "TOKEN_REVOKED",
    "MUTED",
  ]);
  const codes: number[] = Object.values(CLOSE).map((row) => row.code);
  assert.ok(!codes.includes(ABNORMAL_CLOSURE));
});

Deno.test("closeNameOf() finds a row by code and reason, and nothing for other pairs", () => {
  for (const [name, row] of Object.entries(CLOSE)) {
    assert.equal(closeNameOf(row.code, row.reason), name as CloseName);
  }
  assert.equal(closeNameOf(1008, "SHUTDOWN"), undefined);
  assert.equal(closeNameOf(1008, ""), undefined);
  assert.equal(closeNameOf(1006, ""), undefined);
  assert.equal(closeNameOf(1001, "going away"), undefined);
});
