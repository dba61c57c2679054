import assert from "node:assert/strict";
import { ValidationError } from "../../src/errors.ts";
import { MAX_ROOM_NAME_CHARS, parseRoomName } from "../../src/realtime/room_name.ts";

Deno.test("parseRoomName() returns a valid name unchanged, case and all", () => {
  assert.equal(MAX_ROOM_NAME_CHARS, 64);
  for (
    const name of [
      "lobby",
      "Lobby",
      "a",
      "room-1_x.y:z",
      "日本語",
      "😀",
      "a".repeat(64),
      "😀".repeat(64),
      "%20",
    ]
  ) {
    assert.equal(parseRoomName(name), name);
  }
});

Deno.test("parseRoomName() refuses bad names with BAD_ROOM_NAME naming the room", () => {
  const rows: Array<[string, string]> = [
    ["empty", ""],
    ["65 characters", "a".repeat(65)],
    ["65 emoji", "😀".repeat(65)],
    ["space", "a b"],
    ["leading space", " lobby"],
    ["tab", "a\tb"],
    ["newline", "lobby\n"],
    ["no-break space", "a\u00a0b"],
    ["ideographic space", "a\u3000b"],
    ["line separator", "a\u2028b"],
    ["zero-width space", "a\u200bb"],
    ["byte order mark", "\ufefflobby"],
    ["NUL", "a\u0000b"],
    ["DEL", "a\u007fb"],
    ["C1 control", "a\u0085b"],
    ["left-to-right mark", "a\u200eb"],
    ["slash", "a/b"],
    ["only slash", "/"],
    ["lone surrogate", "a\ud800b"],
  ];
  for (const [what, raw] of rows) {
    assert.throws(() => parseRoomName(raw), (error: unknown) => {
      assert.ok(error instanceof ValidationError, `${what}: got ${error}`);
      assert.equal(error.type, "BAD_ROOM_NAME", what);
      assert.equal(error.status, 400, what);
      assert.ok(error.message.startsWith('Cannot use room "'), `${what}: ${error.message}`);
      return true;
    }, what);
  }
});

Deno.test("parseRoomName() quotes the name in its message and says what is wrong", () => {
  assert.throws(() => parseRoomName("x y"), {
    message: 'Cannot use room "x y": name has white space',
  });
  assert.throws(() => parseRoomName("a/b"), { message: 'Cannot use room "a/b": name has "/"' });
});
