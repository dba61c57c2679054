/**
 * The contract's limits as CONTRACT §2–§4 states them, and the server modules
 * that still keep a copy of one agreeing with it.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as contract from "../../src/contract/mod.js";
import { MAX_SECRET_BYTES, MAX_USERNAME_CHARS } from "../../src/auth/username.ts";
import { MAX_BODY_BYTES } from "../../src/http/read_json_body.ts";

Deno.test("the limits are the contract's numbers", () => {
  assert.equal(contract.MAX_FRAME_BYTES, 16 * 1024);
  assert.equal(contract.MAX_TEXT_CHARS, 4000);
  assert.equal(contract.MAX_NONCE_CHARS, 64);
  assert.equal(contract.HISTORY_ON_JOIN, 50);
  assert.equal(contract.MAX_RESUME, 1000);
  assert.equal(contract.MAX_BODY_BYTES, 16 * 1024);
  assert.equal(contract.MAX_USERNAME_CHARS, 64);
  assert.equal(contract.MAX_SECRET_BYTES, 1024);
  assert.equal(contract.MAX_ROOM_NAME_CHARS, 64);
  assert.equal(contract.MAX_HISTORY_PAGE, 100);
});

Deno.test("server modules that keep their own copy of a limit agree with the contract", () => {
  assert.equal(MAX_BODY_BYTES, contract.MAX_BODY_BYTES);
  assert.equal(MAX_USERNAME_CHARS, contract.MAX_USERNAME_CHARS);
  assert.equal(MAX_SECRET_BYTES, contract.MAX_SECRET_BYTES);
});
