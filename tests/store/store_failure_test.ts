import assert from "node:assert/strict";
import { ConflictError, StoreUnavailableError } from "../../src/errors.ts";
import { isBug, storeClosed, storeFailure } from "../../src/store/store_failure.ts";

const always = () => true;
const never = () => false;

Deno.test("storeFailure() passes a conflict through whatever the adapter says", () => {
  const conflict = new ConflictError("USER_EXISTS", "taken");
  assert.equal(storeFailure(conflict, always), conflict);
});

Deno.test("storeFailure() keeps a bug a bug (500), even when the adapter calls everything an outage", () => {
  for (const bug of [new TypeError("x"), new RangeError("x"), new SyntaxError("x")]) {
    assert.ok(isBug(bug));
    assert.equal(storeFailure(bug, always), bug);
  }
});

Deno.test("storeFailure() makes an outage STORE_UNAVAILABLE with the cause kept", () => {
  const down = new Error("connection refused");
  const mapped = storeFailure(down, always);
  assert.ok(mapped instanceof StoreUnavailableError);
  assert.equal(mapped.status, 503);
  assert.equal(mapped.cause, down);
  assert.equal(storeFailure(down, never), down, "not an outage: stays an error");
});

Deno.test("storeClosed() is STORE_UNAVAILABLE", () => {
  assert.equal(storeClosed().type, "STORE_UNAVAILABLE");
});
