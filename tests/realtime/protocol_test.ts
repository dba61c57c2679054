import assert from "node:assert/strict";
import {
  CLOSE,
  type CloseReason,
  MAX_FRAME_BYTES,
  MAX_TEXT_CHARS,
} from "../../src/contract/mod.js";
import { parseClientFrame } from "../../src/realtime/protocol.ts";

function assertRejects(data: unknown, close: CloseReason, what: string) {
  assert.deepEqual(parseClientFrame(data), { kind: "reject", close }, what);
}

const frame = (value: unknown) => JSON.stringify(value);

Deno.test("parseClientFrame() reads text and an optional nonce", () => {
  assert.deepEqual(parseClientFrame('{"text":"hello"}'), { kind: "send", text: "hello" });
  assert.deepEqual(parseClientFrame(frame({ text: "hi", nonce: "abc-1" })), {
    kind: "send",
    text: "hi",
    nonce: "abc-1",
  });
});

Deno.test("parseClientFrame() keeps text as sent and ignores other fields", () => {
  const parsed = parseClientFrame(
    frame({ text: "  hi there \n", sender: { id: 99 }, room: "x", seq: 7 }),
  );
  assert.deepEqual(parsed, { kind: "send", text: "  hi there \n" });
  assert.ok(!("nonce" in parsed));
});

Deno.test("parseClientFrame() refuses a binary frame with 1003 BINARY_NOT_SUPPORTED", () => {
  assert.deepEqual(CLOSE.BINARY_NOT_SUPPORTED, { code: 1003, reason: "BINARY_NOT_SUPPORTED" });
  const text = new TextEncoder().encode('{"text":"hi"}');
  for (const data of [text, text.buffer, new Blob([text]), undefined, null, 42]) {
    assertRejects(data, CLOSE.BINARY_NOT_SUPPORTED, String(data));
  }
});

Deno.test("parseClientFrame() refuses a frame over 16 KiB with 1009 TOO_BIG", () => {
  assert.equal(MAX_FRAME_BYTES, 16 * 1024);
  assert.deepEqual(CLOSE.TOO_BIG, { code: 1009, reason: "TOO_BIG" });
  const base = frame({ text: "hi" });
  const exact = base + " ".repeat(MAX_FRAME_BYTES - base.length);
  assert.equal(exact.length, MAX_FRAME_BYTES);
  assert.deepEqual(parseClientFrame(exact), { kind: "send", text: "hi" });
  assertRejects(exact + " ", CLOSE.TOO_BIG, "16 KiB + 1 ASCII byte");
  // Three-byte characters: under 16 Ki UTF-16 units but over 16 KiB of UTF-8.
  const under = frame({ text: "hi", pad: "€".repeat(5400) });
  assert.ok(new TextEncoder().encode(under).byteLength <= MAX_FRAME_BYTES);
  assert.equal(parseClientFrame(under).kind, "send");
  const over = frame({ text: "hi", pad: "€".repeat(5500) });
  assert.ok(over.length < MAX_FRAME_BYTES);
  assertRejects(over, CLOSE.TOO_BIG, "16,500 bytes of €");
  // A frame too big is refused before it is parsed, even when it is not JSON.
  assertRejects("x".repeat(MAX_FRAME_BYTES + 1), CLOSE.TOO_BIG, "big non-JSON");
});

Deno.test("parseClientFrame() refuses bad JSON, non-objects and arrays with 1007 BAD_MESSAGE", () => {
  assert.deepEqual(CLOSE.BAD_MESSAGE, { code: 1007, reason: "BAD_MESSAGE" });
  const rows = [
    "",
    "not json",
    "{",
    '{"text":"hi"',
    "{'text':'hi'}",
    "42",
    '"text"',
    "null",
    "true",
    "[]",
    '[{"text":"hi"}]',
  ];
  for (const data of rows) assertRejects(data, CLOSE.BAD_MESSAGE, JSON.stringify(data));
});

Deno.test("parseClientFrame() refuses missing, non-string or blank text with 1007", () => {
  const rows: unknown[] = [
    {},
    { nonce: "x" },
    { Text: "hi" },
    { text: 42 },
    { text: null },
    { text: true },
    { text: ["hi"] },
    { text: { value: "hi" } },
    { text: "" },
    { text: "   " },
    { text: "\n\t \r" },
    { text: "\u00a0\u3000" },
  ];
  for (const value of rows) assertRejects(frame(value), CLOSE.BAD_MESSAGE, frame(value));
  assertRejects('{"text":"a\\ud800b"}', CLOSE.BAD_MESSAGE, "lone surrogate");
});

Deno.test("parseClientFrame() takes 4000 code points of text and refuses 4001 with 1009", () => {
  assert.equal(MAX_TEXT_CHARS, 4000);
  for (const char of ["a", "é", "€", "😀", "𝄞"]) {
    const ok = char.repeat(4000);
    assert.deepEqual(parseClientFrame(frame({ text: ok })), { kind: "send", text: ok }, char);
    const tooLong = frame({ text: char.repeat(4001) });
    assert.ok(new TextEncoder().encode(tooLong).byteLength <= MAX_FRAME_BYTES);
    assertRejects(tooLong, CLOSE.TOO_BIG, `4001 × ${char}`);
  }
  // 3999 astral characters and one BMP character: 4000 code points, 7999 UTF-16 units.
  const mixed = "😀".repeat(3999) + "a";
  assert.equal(parseClientFrame(frame({ text: mixed })).kind, "send");
});

Deno.test("parseClientFrame() accepts a nonce of 1 to 64 printable ASCII characters", () => {
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
  for (const nonce of ["x", "a".repeat(64), printable.slice(0, 64), printable.slice(31), " ~"]) {
    assert.deepEqual(parseClientFrame(frame({ text: "hi", nonce })), {
      kind: "send",
      text: "hi",
      nonce,
    }, JSON.stringify(nonce));
  }
});

Deno.test("parseClientFrame() refuses a bad nonce with 1007 BAD_MESSAGE", () => {
  const rows: unknown[] = [
    "a".repeat(65),
    "",
    "é",
    "nonce-😀",
    "tab\there",
    "line\n",
    "\u007f",
    42,
    null,
    true,
    ["a"],
    { id: "a" },
  ];
  for (const nonce of rows) {
    assertRejects(frame({ text: "hi", nonce }), CLOSE.BAD_MESSAGE, JSON.stringify(nonce));
  }
});
