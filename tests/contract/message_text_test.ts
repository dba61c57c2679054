import assert from "node:assert/strict";
import {
  codePointsOver,
  isValidNonce,
  MAX_NONCE_CHARS,
  MAX_TEXT_CHARS,
  textFault,
} from "../../src/contract/mod.js";

Deno.test("textFault() accepts text up to 4000 code points, kept as sent", () => {
  for (
    const text of ["hi", "  padded  ", "a".repeat(MAX_TEXT_CHARS), "😀".repeat(MAX_TEXT_CHARS)]
  ) {
    assert.equal(textFault(text), undefined, `${text.length} units`);
  }
});

Deno.test("textFault() names why text is refused: MALFORMED, BLANK or TOO_LONG", () => {
  const rows: Array<[unknown, string]> = [
    [42, "MALFORMED"],
    [undefined, "MALFORMED"],
    [["hi"], "MALFORMED"],
    ["a\ud800b", "MALFORMED"],
    ["", "BLANK"],
    [" \n\t\u00a0\u3000", "BLANK"],
    ["a".repeat(MAX_TEXT_CHARS + 1), "TOO_LONG"],
    ["😀".repeat(MAX_TEXT_CHARS + 1), "TOO_LONG"],
  ];
  for (const [text, fault] of rows) assert.equal(textFault(text), fault, JSON.stringify(text));
});

Deno.test("codePointsOver() counts code points, not UTF-16 units", () => {
  assert.equal(codePointsOver("😀😀", 2), false);
  assert.equal(codePointsOver("😀😀😀", 2), true);
  assert.equal(codePointsOver("abc", 3), false);
  assert.equal(codePointsOver("abcd", 3), true);
});

Deno.test("isValidNonce() takes 1 to 64 printable ASCII characters and nothing else", () => {
  assert.equal(MAX_NONCE_CHARS, 64);
  for (const nonce of ["x", " ", "~", "a".repeat(64), "0123abcd-_.!"]) {
    assert.equal(isValidNonce(nonce), true, nonce);
  }
  for (const nonce of ["", "a".repeat(65), "é", "tab\t", "line\n", "\u007f", 42, null, ["a"]]) {
    assert.equal(isValidNonce(nonce), false, JSON.stringify(nonce));
  }
});
