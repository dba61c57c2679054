/**
 * Strings and JSON values that tend to break parsers and validators: Unicode
 * edge cases (lone surrogates, NUL, combining marks, compatibility forms),
 * wrong types and deep nesting.
 *
 * @module
 */
import type { Rng } from "./random.ts";

/** Awkward strings. Lone surrogates survive `JSON.stringify` as `\ud800` escapes. */
export const EDGE_STRINGS: readonly string[] = [
  "",
  " ",
  "  padded  ",
  "\t",
  "\n",
  "\u0000",
  "a\u0000b",
  "\u0007bell",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u200b",
  "\u200d",
  "\u2028",
  "\u2029",
  "\u202e",
  "\ufeff",
  "\ufffd",
  "\uffff",
  "\ud800",
  "\udc00",
  "a\ud800b",
  "\udc00\ud800",
  "\ud83d",
  "\u{1f4a9}",
  "\u{10ffff}",
  "\u{e0001}",
  "e\u0301",
  "\u00e9",
  "\ufb01",
  "\u212a",
  "\u0130",
  "\u00df",
  "\uff41\uff4c\uff49\uff43\uff45",
  "Alice",
  "ALICE",
  "alice",
  "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f",
  "\u0645\u0631\u062d\u0628\u0627",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "'; DROP TABLE users; --",
  "%s%n%x",
  "../../etc/passwd",
  "a".repeat(64),
  "a".repeat(65),
  "\u{1f4a9}".repeat(64),
  "\u{1f4a9}".repeat(65),
  "x".repeat(1024),
  "x".repeat(1025),
  "\u00e9".repeat(512),
  "\u00e9".repeat(513),
];

/** A random string mixing ASCII, Latin-1, BMP, astral, control and surrogate code units. */
export function randomUnicode(rng: Rng, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) {
    const kind = rng.int(0, 9);
    if (kind <= 4) s += String.fromCharCode(rng.int(0x20, 0x7e));
    else if (kind === 5) s += String.fromCharCode(rng.int(0, 0x1f));
    else if (kind === 6) s += String.fromCharCode(rng.int(0x80, 0x7ff));
    else if (kind === 7) s += String.fromCharCode(rng.int(0x800, 0xffff));
    else if (kind === 8) s += String.fromCodePoint(rng.int(0x10000, 0x10ffff));
    else s += String.fromCharCode(rng.int(0xd800, 0xdfff));
  }
  return s;
}

/** A string: an edge case, a random mix, or a plain name. */
export function randomString(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => rng.pick(EDGE_STRINGS)],
    [3, () => randomUnicode(rng, rng.int(0, 40))],
    [4, () => `fz${rng.chars(rng.int(1, 12), 0x61, 0x7a)}`],
    [1, () => rng.pick(EDGE_STRINGS) + rng.chars(rng.int(1, 8), 0x61, 0x7a)],
  ])();
}

/** Nested arrays or objects `depth` levels deep, as JSON text. */
export function deepNesting(depth: number, kind: "array" | "object" | "mixed"): string {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    const asArray = kind === "array" || (kind === "mixed" && i % 2 === 0);
    open += asArray ? "[" : '{"a":';
    close = (asArray ? "]" : "}") + close;
  }
  return open + "1" + close;
}

/** A random JSON value of any type (strings, numbers, nesting). */
export function randomJsonValue(rng: Rng, depth = 0): unknown {
  const choice = rng.int(0, depth > 3 ? 6 : 9);
  switch (choice) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -0, 1, -1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, Number.MIN_VALUE]);
    case 3:
    case 4:
    case 5:
    case 6:
      return randomString(rng);
    case 7:
    case 8: {
      const out: unknown[] = [];
      for (let i = rng.int(0, 3); i > 0; i--) out.push(randomJsonValue(rng, depth + 1));
      return out;
    }
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(0, 3); i > 0; i--) {
        out[randomString(rng)] = randomJsonValue(rng, depth + 1);
      }
      return out;
    }
  }
}

/** A JSON-ish literal that `JSON.stringify` cannot produce: big numbers, bad escapes, trailing commas. */
export function oddJsonLiteral(rng: Rng): string {
  return rng.pick([
    "1e999",
    "-1e999",
    "123456789012345678901234567890",
    "0x10",
    "NaN",
    "Infinity",
    "undefined",
    "'single'",
    '"\\x41"',
    '"\\u12"',
    '"\\ud800\\ud800"',
    '"\\udbff\\udfff"',
    '"\\u0000"',
    '"bad \\q escape"',
    '"raw\ttab"',
    '"raw\nnewline"',
    "[1,]",
    "{,}",
    "tru",
    "nul",
    '"unterminated',
  ]);
}
