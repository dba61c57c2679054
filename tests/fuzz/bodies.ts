/**
 * Request bodies for `POST /api/v1/users` and `/api/v1/login`: valid-ish
 * credentials mutated into wrong types, deep nesting, Unicode edge cases,
 * invalid UTF-8, truncated or non-JSON text and sizes around the 16 KiB limit,
 * each with a random content type.
 *
 * @module
 */
import type { Rng } from "./random.ts";
import {
  deepNesting,
  EDGE_STRINGS,
  oddJsonLiteral,
  randomJsonValue,
  randomString,
  randomUnicode,
} from "./strings.ts";

/** The server's body limit (contract §2). */
export const BODY_LIMIT = 16 * 1024;

/** One generated body. */
export interface BodyInput {
  /** What the generator did, for failure samples. */
  readonly label: string;
  readonly bytes: Uint8Array;
  /** `undefined`: no `Content-Type` header at all. */
  readonly contentType: string | undefined;
}

/** Credentials the fuzzer registered, so some logins can succeed. */
export interface KnownCredentials {
  readonly username: string;
  readonly secret: string;
}

const encoder = new TextEncoder();

const CONTENT_TYPES: readonly (string | undefined)[] = [
  "application/json",
  "application/json; charset=utf-8",
  "Application/JSON; Charset=UTF-8",
  "application/json;charset=UTF-8",
  " application/json ",
  "application/json; charset=iso-8859-1",
  "application/json; charset=utf-16",
  'application/json; charset="utf-8"',
  "application/json;;;",
  "application/json; =",
  "application/json, text/plain",
  "application/jsonx",
  "application/vnd.api+json",
  "application/ld+json",
  "text/json",
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=----fuzz",
  "application/octet-stream",
  "*/*",
  "",
  ";",
  "application",
  "application/json\u00e9",
  undefined,
];

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** The media type as the contract reads it: before `;`, trimmed, case-insensitive. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/** Whether a body binds: UTF-8, a JSON object, `username` and `secret` strings. */
export function bindsAsCredentials(bytes: Uint8Array): boolean {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return false;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.username === "string" && typeof record.secret === "string";
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** JSON text of an object whose values may be of any type, with an optional raw insert. */
function credentialsText(rng: Rng, known: readonly KnownCredentials[]): string {
  const real = known.length > 0 && rng.chance(0.3) ? rng.pick(known) : undefined;
  let username = real ? real.username : randomString(rng);
  if (real && rng.chance(0.3)) username = rng.pick([username.toUpperCase(), ` ${username}`]);
  const secret = real && rng.chance(0.6) ? real.secret : randomString(rng);
  return JSON.stringify({ username, secret });
}

/** Pads a JSON object text to exactly `size` bytes with spaces before its closing brace. */
function padTo(text: string, size: number): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.byteLength >= size) return bytes.subarray(0, size);
  const out = new Uint8Array(size).fill(0x20);
  out.set(bytes.subarray(0, bytes.byteLength - 1), 0);
  out[size - 1] = 0x7d; // "}"
  return out;
}

type Maker = () => { label: string; bytes: Uint8Array };

/** A random credentials body with a random content type. */
export function credentialBody(rng: Rng, known: readonly KnownCredentials[]): BodyInput {
  const text = (label: string, body: string) => ({ label, bytes: encoder.encode(body) });
  const makers: (readonly [number, Maker])[] = [
    [10, () => text("valid", credentialsText(rng, known))],
    [3, () => {
      const field = rng.pick(["username", "secret"]);
      const other = field === "username" ? "secret" : "username";
      const body: Record<string, unknown> = { [other]: randomString(rng) };
      if (rng.chance(0.8)) body[field] = randomJsonValue(rng);
      return text(`wrong type for ${field}`, JSON.stringify(body));
    }],
    [2, () => {
      const body = JSON.parse(credentialsText(rng, known)) as Record<string, unknown>;
      for (const key of ["id", "__proto__", "constructor", "admin", randomString(rng)]) {
        if (rng.chance(0.5)) {
          // defineProperty, so "__proto__" becomes an own key rather than the prototype setter.
          Object.defineProperty(body, key, {
            value: randomJsonValue(rng),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
      return text("extra fields", JSON.stringify(body));
    }],
    [1, () =>
      text(
        "duplicate keys",
        `{"username":${JSON.stringify(randomString(rng))},"secret":"x","username":${
          JSON.stringify(randomString(rng))
        },"secret":${rng.chance(0.5) ? "1" : '"y"'}}`,
      )],
    [2, () => {
      const depth = rng.pick([64, 512, 2000, 5000, 8000]);
      const kind = rng.pick(["array", "object", "mixed"] as const);
      const nested = deepNesting(depth, kind);
      const wrap = rng.chance(0.5);
      return text(
        `nesting ${kind} ${depth}${wrap ? " in username" : ""}`,
        wrap ? `{"username":${nested},"secret":"x"}` : nested,
      );
    }],
    [3, () => {
      const edge = rng.pick(EDGE_STRINGS);
      const body = rng.chance(0.5)
        ? { username: edge, secret: randomString(rng) }
        : { username: randomString(rng), secret: edge };
      return text("edge string", JSON.stringify(body));
    }],
    [2, () => {
      const lone = rng.pick(["\\ud800", "\\udfff", "\\udc00\\ud800", "a\\ud83d", "\\ud83d\\u0041"]);
      return text(
        "lone surrogate escape",
        rng.chance(0.5)
          ? `{"username":"fz${lone}","secret":"s"}`
          : `{"username":"fz${rng.chars(6, 0x61, 0x7a)}","secret":"${lone}"}`,
      );
    }],
    [1, () =>
      text(
        "odd literal",
        `{"username":${oddJsonLiteral(rng)},"secret":${
          rng.chance(0.5) ? oddJsonLiteral(rng) : '"s"'
        }}`,
      )],
    [2, () => {
      const body = credentialsText(rng, known);
      const at = rng.int(1, body.length - 1);
      const raw = rng.pick([[0x00], [0x01], [0x0a], [0x1b], [0x7f], ...INVALID_UTF8]);
      return {
        label: `raw bytes ${JSON.stringify(raw)} at ${at}`,
        bytes: concat(
          encoder.encode(body.slice(0, at)),
          new Uint8Array(raw),
          encoder.encode(body.slice(at)),
        ),
      };
    }],
    [2, () => {
      const raw = rng.pick(INVALID_UTF8);
      return {
        label: `invalid UTF-8 ${JSON.stringify(raw)} in username`,
        bytes: concat(
          encoder.encode('{"username":"fz'),
          new Uint8Array(raw),
          encoder.encode(`","secret":"s"}`),
        ),
      };
    }],
    [1, () => ({
      label: "BOM then JSON",
      bytes: concat(
        new Uint8Array([0xef, 0xbb, 0xbf]),
        encoder.encode(credentialsText(rng, known)),
      ),
    })],
    [1, () => ({
      label: "UTF-16LE JSON",
      bytes: (() => {
        const s = credentialsText(rng, known);
        const out = new Uint8Array(s.length * 2);
        for (let i = 0; i < s.length; i++) {
          out[2 * i] = s.charCodeAt(i) & 0xff;
          out[2 * i + 1] = s.charCodeAt(i) >> 8;
        }
        return out;
      })(),
    })],
    [3, () => {
      const body = credentialsText(rng, known);
      const cut = rng.int(0, body.length - 1);
      return text(`truncated at ${cut}`, body.slice(0, cut));
    }],
    [2, () =>
      text(
        "not JSON",
        rng.pick([
          "username=a&secret=b",
          "<user><username>a</username></user>",
          "null",
          "true",
          "42",
          '"string"',
          "[]",
          '[{"username":"a","secret":"b"}]',
          "{}",
          " ",
          "\r\n",
          randomUnicode(rng, rng.int(1, 64)),
        ]),
      )],
    [1, () => ({ label: "random bytes", bytes: rng.bytes(rng.int(1, 512)) })],
    [1, () => ({ label: "empty", bytes: new Uint8Array() })],
    [2, () => {
      const size = BODY_LIMIT + rng.pick([-1, 0, 1]);
      const valid = rng.chance(0.5);
      return {
        label: `${valid ? "valid" : "bad"} body of ${size} bytes`,
        bytes: valid
          ? padTo(JSON.stringify({ username: `fz${rng.chars(10, 0x61, 0x7a)}`, secret: "s" }), size)
          : padTo(`{"username":"${"u".repeat(size)}`, size),
      };
    }],
    [1, () => {
      const size = BODY_LIMIT + rng.pick([-1, 0, 1]);
      const fill = size - '{"username":"fz","secret":""}'.length;
      return text(
        `secret field filling ${size} bytes`,
        `{"username":"fz","secret":"${"s".repeat(fill)}"}`,
      );
    }],
    [1, () => {
      const size = rng.pick([64 * 1024, 256 * 1024, 1024 * 1024]);
      return { label: `huge ${size} bytes`, bytes: padTo(credentialsText(rng, known), size) };
    }],
  ];
  const made = rng.weighted(makers)();
  const contentType = rng.chance(0.7)
    ? rng.pick(["application/json", "application/json; charset=utf-8"])
    : rng.pick(CONTENT_TYPES);
  return { label: made.label, bytes: made.bytes, contentType };
}
