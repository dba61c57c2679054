/**
 * JWTs for the fuzzer: the server's real tokens, tokens forged with its secret
 * but broken claims, other algorithms (`none`, HS512), wrong keys, tampering
 * and plain garbage, each labelled with whether the contract accepts it.
 *
 * @module
 */
import { SignJWT } from "jose";
import type { Rng } from "./random.ts";
import { randomUnicode } from "./strings.ts";

/** What the forger knows: the server's secret and issuer, and tokens it issued. */
export interface TokenMaterial {
  readonly secret: string;
  readonly issuer: string;
  /** Tokens from real logins. */
  readonly issued: readonly string[];
  /** Ids of users that exist. */
  readonly userIds: readonly number[];
}

/** A token and whether the server must accept it. */
export interface ForgedToken {
  readonly label: string;
  readonly token: string;
  /** `true`: a valid token; `false`: must be refused with 401. */
  readonly valid: boolean;
}

const encoder = new TextEncoder();

function base64url(text: string): string {
  let s = "";
  for (const b of encoder.encode(text)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Replaces one character in the middle of `part` (never a padding-only last char). */
function flipMiddle(rng: Rng, part: string): string {
  const at = rng.int(0, Math.max(0, part.length - 3));
  const old = part[at] ?? "A";
  const next = old === "A" ? "B" : "A";
  return part.slice(0, at) + next + part.slice(at + 1);
}

/** Signs any header and payload with HS256, even ones `jose` refuses to produce. */
async function signRaw(header: unknown, payload: unknown, key: Uint8Array): Promise<string> {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const hmac = await crypto.subtle.importKey(
    "raw",
    key as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, encoder.encode(input)));
  return `${input}.${
    btoa(String.fromCharCode(...signature)).replace(/\+/g, "-").replace(/\//g, "_").replace(
      /=+$/,
      "",
    )
  }`;
}

/** Characters allowed in an HTTP token (and so in a subprotocol). */
export const TOKEN_CHARS =
  "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A random JWT: real, forged or garbage. */
export async function forgeToken(rng: Rng, material: TokenMaterial): Promise<ForgedToken> {
  const now = Math.floor(Date.now() / 1000);
  const key = encoder.encode(material.secret);
  const id = material.userIds.length > 0 ? rng.pick(material.userIds) : 1;
  const sign = async (
    claims: Record<string, unknown>,
    options: { alg?: string; key?: Uint8Array; header?: Record<string, unknown> } = {},
  ) =>
    await new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT", ...options.header })
      .sign(options.key ?? key);
  const base = () => ({
    sub: String(id),
    name: `fz${id}`,
    iat: now,
    exp: now + 3600,
    iss: material.issuer,
  });

  const variant = rng.int(0, 25);
  switch (variant) {
    case 0:
    case 1:
    case 2:
    case 3:
      if (material.issued.length > 0) {
        return { label: "issued", token: rng.pick(material.issued), valid: true };
      }
      return { label: "forged valid", token: await sign(base()), valid: true };
    case 4:
      return { label: "forged valid", token: await sign(base()), valid: true };
    case 5:
      return {
        label: "unknown user",
        token: await sign({ ...base(), sub: "999999" }),
        valid: true,
      };
    case 6: {
      const name = rng.pick([randomUnicode(rng, 20), "x".repeat(2000), "\u0000", "", "a\ud800"]);
      return { label: "odd name claim", token: await sign({ ...base(), name }), valid: true };
    }
    case 7:
      return { label: "far exp", token: await sign({ ...base(), exp: now + 1e12 }), valid: true };
    case 8: {
      const [h, p, s] = (material.issued[0] ?? await sign(base())).split(".");
      return {
        label: "tampered signature",
        token: `${h}.${p}.${flipMiddle(rng, s ?? "")}`,
        valid: false,
      };
    }
    case 9: {
      const [h, , s] = (material.issued[0] ?? await sign(base())).split(".");
      return {
        label: "tampered payload",
        token: `${h}.${base64url(JSON.stringify({ ...base(), name: "admin" }))}.${s}`,
        valid: false,
      };
    }
    case 10:
      return {
        label: "alg none",
        token: `${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify(base()))}.`,
        valid: false,
      };
    case 11:
      return { label: "HS512", token: await sign(base(), { alg: "HS512" }), valid: false };
    case 12:
      return {
        label: "wrong key",
        token: await sign(base(), { key: encoder.encode("another-secret-another-secret-another") }),
        valid: false,
      };
    case 13: {
      const claims: Record<string, unknown> = base();
      delete claims.exp;
      return { label: "no exp", token: await sign(claims), valid: false };
    }
    case 14:
      return {
        label: "expired",
        token: await sign({ ...base(), iat: now - 7200, exp: now - 60 }),
        valid: false,
      };
    case 15: {
      const sub = rng.pick([
        "0",
        "-1",
        "1.5",
        "abc",
        "99999999999999999999",
        "",
        " 1",
        "1e3",
        "0x1",
      ]);
      return {
        label: `sub ${JSON.stringify(sub)}`,
        token: await sign({ ...base(), sub }),
        valid: false,
      };
    }
    case 16: {
      const claims: Record<string, unknown> = base();
      delete claims.sub;
      return { label: "no sub", token: await sign(claims), valid: false };
    }
    case 17: {
      const name = rng.pick([1, null, ["a"], { a: 1 }]);
      return { label: "non-string name", token: await sign({ ...base(), name }), valid: false };
    }
    case 18:
      return {
        label: "wrong issuer",
        token: await sign({ ...base(), iss: "someone-else" }),
        valid: false,
      };
    case 19:
      return {
        label: "nbf in future",
        token: await sign({ ...base(), nbf: now + 3600 }),
        valid: false,
      };
    case 20:
      return {
        label: "exp as string",
        token: await sign({ ...base(), exp: String(now + 3600) }),
        valid: false,
      };
    case 21:
      return {
        label: "crit header",
        token: await signRaw({ alg: "HS256", typ: "JWT", crit: ["fuzz"], fuzz: 1 }, base(), key),
        valid: false,
      };
    case 22:
      return {
        label: "bad JSON payload",
        token: `${base64url('{"alg":"HS256"}')}.${base64url("{not json")}.sig`,
        valid: false,
      };
    default: {
      const token = rng.pick([
        "a",
        "a.b",
        "a.b.c",
        "...",
        "..",
        "e30.e30.e30",
        "eyJhbGciOiJIUzI1NiJ9",
        "null",
        "Bearer",
        rng.chars(rng.int(1, 80), 0x21, 0x7e).replace(/,/g, "."),
        Array.from({ length: rng.int(100, 8000) }, () => rng.pick([...TOKEN_CHARS])).join(""),
      ]);
      return { label: "garbage", token, valid: false };
    }
  }
}
