import assert from "node:assert/strict";
import { CLOSE, MAX_FRAME_BYTES, MAX_TEXT_CHARS } from "../../src/contract/mod.js";
import { parseClientFrameV2 } from "../../src/realtime/protocol.ts";

const parse = (value: unknown) => parseClientFrameV2(JSON.stringify(value));

Deno.test("parseClientFrameV2() reads every client frame of the contract", () => {
  assert.deepEqual(parse({ text: "hi" }), { kind: "send", text: "hi" });
  assert.deepEqual(parse({ type: "message", text: "hi", nonce: "n1", replyTo: 3 }), {
    kind: "send",
    text: "hi",
    replyTo: 3,
    nonce: "n1",
  });
  assert.deepEqual(parse({ type: "edit", target: 4, text: "new", nonce: "e" }), {
    kind: "edit",
    target: 4,
    text: "new",
    nonce: "e",
  });
  assert.deepEqual(parse({ type: "delete", target: 4 }), { kind: "delete", target: 4 });
  assert.deepEqual(parse({ type: "typing" }), { kind: "typing" });
  assert.deepEqual(parse({ type: "read", seq: 0 }), { kind: "read", seq: 0 });
  assert.deepEqual(parse({ type: "auth", token: "a.b.c" }), { kind: "auth", token: "a.b.c" });
});

Deno.test("parseClientFrameV2() passes a blank or too long text on, for an error event", () => {
  assert.deepEqual(parse({ text: "  " }), { kind: "send", text: "  " });
  const long = "x".repeat(MAX_TEXT_CHARS + 1);
  assert.deepEqual(parse({ type: "edit", target: 1, text: long }), {
    kind: "edit",
    target: 1,
    text: long,
  });
});

Deno.test("parseClientFrameV2() closes 1007 on a frame of the wrong shape", () => {
  const bad = [
    {},
    { type: "shout", text: "x" },
    { type: null, text: "x" },
    { type: 2, text: "x" },
    { text: 5 },
    { text: "x", nonce: "" },
    { text: "x", nonce: "é" },
    { text: "x", replyTo: 0 },
    { text: "x", replyTo: "3" },
    { type: "edit", text: "x" },
    { type: "edit", target: 1.5, text: "x" },
    { type: "edit", target: 1 },
    { type: "delete", target: -1 },
    { type: "delete", target: 2 ** 53 },
    { type: "read" },
    { type: "read", seq: -1 },
    { type: "auth", token: "" },
    { type: "auth", token: 7 },
    { type: "typing", nonce: 7 },
  ];
  for (const value of bad) {
    assert.deepEqual(
      parse(value),
      { kind: "reject", close: CLOSE.BAD_MESSAGE },
      JSON.stringify(value),
    );
  }
  for (const raw of ["not json", "[1]", "null", '"text"']) {
    assert.deepEqual(parseClientFrameV2(raw), { kind: "reject", close: CLOSE.BAD_MESSAGE }, raw);
  }
});

Deno.test("parseClientFrameV2() closes on binary frames and frames over the size limit", () => {
  assert.deepEqual(parseClientFrameV2(new Uint8Array(2)), {
    kind: "reject",
    close: CLOSE.BINARY_NOT_SUPPORTED,
  });
  const big = JSON.stringify({ text: "x".repeat(MAX_FRAME_BYTES) });
  assert.deepEqual(parseClientFrameV2(big), { kind: "reject", close: CLOSE.TOO_BIG });
});

Deno.test("a JSON object with code and reason keys is a frame like any other", () => {
  assert.deepEqual(parse({ code: 1000, reason: "x" }), {
    kind: "reject",
    close: CLOSE.BAD_MESSAGE,
  });
  assert.deepEqual(parse({ code: 1000, reason: "x", text: "hi" }), { kind: "send", text: "hi" });
});
