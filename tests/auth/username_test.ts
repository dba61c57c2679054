import assert from "node:assert/strict";
import {
  canonicalUsername,
  checkSecret,
  MAX_SECRET_BYTES,
  MAX_USERNAME_CHARS,
  parseUsername,
} from "../../src/auth/username.ts";
import { ValidationError } from "../../src/errors.ts";

function isValidation(type: string, what: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ValidationError, `${what}: got ${error}`);
    assert.equal(error.type, type, what);
    assert.equal(error.status, 400, what);
    return true;
  };
}

Deno.test("parseUsername() refuses bad names with BAD_USERNAME", () => {
  const rows: Array<[string, string]> = [
    ["empty", ""],
    ["65 letters", "a".repeat(65)],
    ["65 emoji", "😀".repeat(65)],
    ["NUL", "al\u0000ice"],
    ["newline", "ali\nce"],
    ["tab", "ali\tce"],
    ["DEL", "alice\u007f"],
    ["C1 control", "ali\u0085ce"],
    ["leading space", " alice"],
    ["trailing space", "alice "],
    ["leading no-break space", "\u00a0alice"],
    ["trailing ideographic space", "alice\u3000"],
    ["only spaces", "   "],
    ["lone surrogate", "ali\ud800ce"],
  ];
  for (const [what, raw] of rows) {
    assert.throws(() => parseUsername(raw), isValidation("BAD_USERNAME", what));
  }
});

Deno.test("parseUsername() accepts 64 code points, even when they are 128 UTF-16 units", () => {
  assert.equal(MAX_USERNAME_CHARS, 64);
  assert.equal(parseUsername("a".repeat(64)).display, "a".repeat(64));
  const emoji = "😀".repeat(64);
  assert.equal(emoji.length, 128);
  assert.equal(parseUsername(emoji).display, emoji);
});

Deno.test("parseUsername() keeps inner white space and non-Latin names", () => {
  for (const name of ["Alice Smith", "日本語", "Ｂｏｂ", "O'Brien-2", "a"]) {
    assert.equal(parseUsername(name).display, name);
  }
});

Deno.test("parseUsername() stores NFC and compares the caseless NFKC form", () => {
  const decomposed = "Ame\u0301lie"; // e + combining acute
  const name = parseUsername(decomposed);
  assert.equal(name.display, "Am\u00e9lie");
  assert.equal(name.canonical, "am\u00e9lie");
  assert.equal(parseUsername("Ａｌｉｃｅ").display, "Ａｌｉｃｅ");
  assert.equal(parseUsername("Ａｌｉｃｅ").canonical, "alice");
});

Deno.test("canonicalUsername() folds case and compatibility forms together", () => {
  const same: Array<[string, string]> = [
    ["Alice", "alice"],
    ["ALICE", "alice"],
    ["Ａｌｉｃｅ", "alice"],
    ["Straße", "STRASSE"],
    ["\ufb01sh", "FISH"], // ﬁ ligature
    ["Ame\u0301lie", "AM\u00c9LIE"],
    ["ΣΊΣΥΦΟΣ", "σίσυφος"],
  ];
  for (const [a, b] of same) assert.equal(canonicalUsername(a), canonicalUsername(b), `${a}/${b}`);
  assert.notEqual(canonicalUsername("alice"), canonicalUsername("alicia"));
  assert.notEqual(canonicalUsername("alice"), canonicalUsername("alice "));
});

Deno.test("checkSecret() refuses an empty secret or one over 1024 UTF-8 bytes", () => {
  assert.equal(MAX_SECRET_BYTES, 1024);
  const rows: Array<[string, string]> = [
    ["empty", ""],
    ["1025 ASCII bytes", "x".repeat(1025)],
    ["1026 bytes of é", "é".repeat(513)],
    ["1000 é is 2000 bytes", "é".repeat(1000)],
    ["1025 bytes with emoji", "😀".repeat(256) + "x"],
  ];
  for (const [what, secret] of rows) {
    assert.throws(() => checkSecret(secret), isValidation("BAD_PASSWORD", what));
  }
});

Deno.test("checkSecret() accepts exactly 1024 UTF-8 bytes and any characters", () => {
  for (const secret of ["x".repeat(1024), "é".repeat(512), "😀".repeat(256), " ", "\u0000\n"]) {
    assert.equal(checkSecret(secret), undefined);
  }
});
