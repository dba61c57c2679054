import assert from "node:assert/strict";
import { ValidationError } from "../../src/errors.ts";
import { parseRoomName } from "../../src/http/room_param.ts";

Deno.test("parseRoomName() returns a valid name unchanged", () => {
  for (const name of ["lobby", "Lobby", "😀".repeat(64), "%20"]) {
    assert.equal(parseRoomName(name), name);
  }
});

Deno.test("parseRoomName() refuses a bad name with a 400 BAD_ROOM_NAME that names the room", () => {
  for (const raw of ["", "a b", "a".repeat(65), "a/b", "a\u0000b", "a\ud800b"]) {
    assert.throws(() => parseRoomName(raw), (error: unknown) => {
      assert.ok(error instanceof ValidationError, `${JSON.stringify(raw)}: got ${error}`);
      assert.equal(error.type, "BAD_ROOM_NAME");
      assert.equal(error.status, 400);
      assert.ok(error.message.startsWith('Cannot use room "'), error.message);
      return true;
    });
  }
  assert.throws(() => parseRoomName("x y"), {
    message: 'Cannot use room "x y": name has white space',
  });
  assert.throws(() => parseRoomName("a/b"), { message: 'Cannot use room "a/b": name has "/"' });
});
