import assert from "node:assert/strict";
import { toHex } from "../src/hex.ts";

Deno.test("toHex() writes two lower-case digits a byte, for arrays and buffers, empty too", () => {
  assert.equal(toHex(new Uint8Array([0, 1, 15, 16, 171, 255])), "00010f10abff");
  assert.equal(toHex(new Uint8Array([222, 173]).buffer), "dead");
  assert.equal(toHex(new Uint8Array()), "");
});
