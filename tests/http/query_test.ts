/**
 * Query schemas (src/http/query.ts): `readQuery` with `wholeNumber` and
 * `flag`, and the single-parameter readers the socket handshake uses.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { ValidationError } from "../../src/errors.ts";
import { flag, flagParam, intParam, readQuery, wholeNumber } from "../../src/http/query.ts";

const Page = v.object({
  before: v.optional(wholeNumber(1, Number.MAX_SAFE_INTEGER)),
  limit: v.optional(wholeNumber(1, 100)),
  batch: v.optional(flag()),
});

function badQuery(message: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ValidationError, String(error));
    assert.equal(error.type, "BAD_QUERY");
    assert.equal(error.status, 400);
    assert.equal(error.message, message);
    return true;
  };
}

Deno.test("readQuery() reads whole numbers and flags, and leaves absent ones out", () => {
  assert.deepEqual(readQuery(Page, {}), {});
  assert.deepEqual(readQuery(Page, { before: ["42"], limit: ["100"], batch: ["1"] }), {
    before: 42,
    limit: 100,
    batch: true,
  });
  assert.deepEqual(readQuery(Page, { limit: ["007"] }), { limit: 7 });
  for (
    const [raw, value] of [["TRUE", true], ["", true], ["0", false], ["False", false]] as const
  ) {
    assert.equal(readQuery(Page, { batch: [raw] }).batch, value, raw);
  }
});

Deno.test("readQuery() ignores parameters the schema does not name", () => {
  assert.deepEqual(readQuery(Page, { other: ["x", "y"], limit: ["5"] }), { limit: 5 });
});

Deno.test("readQuery() refuses a value that is not a whole number in range with BAD_QUERY naming it", () => {
  const must = 'Query parameter "limit" must be a whole number from 1 to 100';
  for (const raw of ["0", "101", "-1", "+1", "1.5", "1e2", "0x10", " 5", "5 ", "", "abc", "١٢"]) {
    assert.throws(() => readQuery(Page, { limit: [raw] }), badQuery(must), JSON.stringify(raw));
  }
  assert.throws(
    () => readQuery(Page, { before: ["9007199254740992"] }),
    badQuery('Query parameter "before" must be a whole number from 1 to 9007199254740991'),
  );
  assert.throws(
    () => readQuery(Page, { batch: ["yes"] }),
    badQuery('Query parameter "batch" must be 1 or 0'),
  );
});

Deno.test("readQuery() refuses a parameter given more than once", () => {
  assert.throws(
    () => readQuery(Page, { limit: ["10", "20"] }),
    badQuery('Query parameter "limit" is given more than once'),
  );
});

Deno.test("intParam() and flagParam() read one parameter by the same rules", () => {
  assert.equal(intParam(undefined, "since", 0, 10), undefined);
  assert.equal(intParam([], "since", 0, 10), undefined);
  assert.equal(intParam(["0"], "since", 0, 10), 0);
  assert.throws(
    () => intParam(["11"], "since", 0, 10),
    badQuery('Query parameter "since" must be a whole number from 0 to 10'),
  );
  assert.throws(
    () => intParam(["1", "2"], "since", 0, 10),
    badQuery('Query parameter "since" is given more than once'),
  );
  assert.equal(flagParam(undefined, "batch"), false);
  assert.equal(flagParam(["1"], "batch"), true);
  // Only the first value of a flag counts.
  assert.equal(flagParam(["0", "1"], "batch"), false);
  assert.throws(
    () => flagParam(["2"], "batch"),
    badQuery('Query parameter "batch" must be 1 or 0'),
  );
});
