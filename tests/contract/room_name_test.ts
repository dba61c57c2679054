import assert from "node:assert/strict";
import { MAX_ROOM_NAME_CHARS, roomNameMessage, roomNameProblem } from "../../src/contract/mod.js";

Deno.test("roomNameProblem() finds nothing wrong with valid names, case and all", () => {
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
    assert.equal(roomNameProblem(name), undefined, name);
  }
});

Deno.test("roomNameProblem() says which rule a bad name breaks", () => {
  const rows: Array<[string, string, string]> = [
    ["empty", "", "name is empty"],
    ["65 characters", "a".repeat(65), "name is longer than 64 characters"],
    ["65 emoji", "😀".repeat(65), "name is longer than 64 characters"],
    ["space", "a b", "name has white space"],
    ["leading space", " lobby", "name has white space"],
    ["tab", "a\tb", "name has white space"],
    ["newline", "lobby\n", "name has white space"],
    ["no-break space", "a\u00a0b", "name has white space"],
    ["ideographic space", "a\u3000b", "name has white space"],
    ["line separator", "a\u2028b", "name has white space"],
    ["zero-width space", "a\u200bb", "name has white space"],
    ["byte order mark", "\ufefflobby", "name has white space"],
    ["NUL", "a\u0000b", "name has control characters"],
    ["DEL", "a\u007fb", "name has control characters"],
    ["C1 control", "a\u0085b", "name has control characters"],
    ["left-to-right mark", "a\u200eb", "name has control characters"],
    ["slash", "a/b", 'name has "/"'],
    ["only slash", "/", 'name has "/"'],
    ["lone surrogate", "a\ud800b", "name is not valid Unicode"],
  ];
  for (const [what, raw, problem] of rows) assert.equal(roomNameProblem(raw), problem, what);
});

Deno.test("roomNameMessage() quotes the name, cut to 80 units, and says what is wrong", () => {
  assert.equal(
    roomNameMessage("x y", "name has white space"),
    'Cannot use room "x y": name has white space',
  );
  const long = "b".repeat(200);
  assert.equal(
    roomNameMessage(long, "name is longer than 64 characters"),
    `Cannot use room "${"b".repeat(80)}": name is longer than 64 characters`,
  );
});
