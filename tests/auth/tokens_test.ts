import assert from "node:assert/strict";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { createTokenService, type TokenService } from "../../src/auth/tokens.ts";
import { AuthError } from "../../src/errors.ts";

const SECRET = "a-test-secret-of-reasonable-length!!";
const ISSUER = "deno-chat-test";
const TTL = 3600;
const T0 = 1_764_000_000_500;
const key = new TextEncoder().encode(SECRET);
const alice = { id: 12, username: "Alice" };

function service(now = () => T0, overrides: { secret?: string; issuer?: string } = {}) {
  return createTokenService({
    secret: overrides.secret ?? SECRET,
    issuer: overrides.issuer ?? ISSUER,
    ttlSeconds: TTL,
    now,
  });
}

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function validClaims(fields: Record<string, unknown> = {}) {
  const iat = Math.floor(T0 / 1000);
  return { sub: "12", name: "Alice", iss: ISSUER, iat, exp: iat + TTL, ...fields };
}

/** A token signed with the right key but built by hand. */
function signed(claims: Record<string, unknown>, alg = "HS256", signKey = key) {
  const { sub, iss, iat, exp, ...rest } = claims;
  let jwt = new SignJWT(rest).setProtectedHeader({ alg, typ: "JWT" });
  if (sub !== undefined) jwt = jwt.setSubject(String(sub));
  if (iss !== undefined) jwt = jwt.setIssuer(String(iss));
  if (iat !== undefined) jwt = jwt.setIssuedAt(Number(iat));
  if (exp !== undefined) jwt = jwt.setExpirationTime(Number(exp));
  return jwt.sign(signKey);
}

async function assertRefused(tokens: TokenService, token: string, what: string) {
  await assert.rejects(tokens.verify(token), (error) => {
    assert.ok(error instanceof AuthError, `${what}: got ${error}`);
    assert.equal(error.type, "INVALID_AUTH_TOKEN", what);
    assert.equal(error.status, 401, what);
    return true;
  }, what);
}

Deno.test("sign() writes sub, name, iat, exp, iss and a jti under HS256", async () => {
  const token = await service().sign(alice);
  assert.deepEqual(decodeProtectedHeader(token), { alg: "HS256", typ: "JWT" });
  const iat = Math.floor(T0 / 1000);
  const { jti, ...rest } = decodeJwt(token);
  assert.deepEqual(rest, {
    sub: "12",
    name: "Alice",
    iss: ISSUER,
    iat,
    exp: iat + TTL,
  });
  // The issue time in milliseconds, base 36, then 16 random characters.
  assert.equal(jti, `${T0.toString(36)}.${jti!.split(".")[1]}`);
  assert.match(jti!, /^[0-9a-z]+\.[A-Za-z0-9_-]{16}$/);
  assert.notEqual(decodeJwt(await service().sign(alice)).jti, jti, "a fresh jti per token");
});

Deno.test("verify() returns the user, expiry, jti and issue time of a token sign() made", async () => {
  const tokens = service();
  const token = await tokens.sign(alice);
  const claims = await tokens.verify(token);
  assert.deepEqual(claims, {
    user: alice,
    exp: Math.floor(T0 / 1000) + TTL,
    userId: alice.id,
    issuedAtMs: T0,
    jti: decodeJwt(token).jti,
  });
});

Deno.test("verify() takes the issue time from iat for a token without a usable jti", async () => {
  const iat = Math.floor(T0 / 1000);
  const plain = await service().verify(await signed(validClaims()));
  assert.equal(plain.jti, undefined);
  assert.equal(plain.issuedAtMs, iat * 1000);
  // A jti whose time disagrees with iat is kept as an id, but its time is not believed.
  const odd = await service().verify(
    await signed(validClaims({ jti: "zzzzzzz.AAAAAAAAAAAAAAAA" })),
  );
  assert.equal(odd.jti, "zzzzzzz.AAAAAAAAAAAAAAAA");
  assert.equal(odd.issuedAtMs, iat * 1000);
  await assertRefused(service(), await signed(validClaims({ jti: 12 })), "jti not a string");
});

Deno.test("verify() accepts a token of the same key and issuer from another instance", async () => {
  const token = await service().sign(alice);
  const later = service(() => T0 + 60_000);
  assert.deepEqual((await later.verify(token)).user, alice);
});

Deno.test("verify() refuses alg none", async () => {
  const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(validClaims())}.`;
  await assertRefused(service(), unsigned, "alg none");
  const noneWithSig = `${b64url({ alg: "none" })}.${b64url(validClaims())}.c2ln`;
  await assertRefused(service(), noneWithSig, "alg none with signature");
});

Deno.test("verify() refuses an HS384 or HS512 token made with the right key", async () => {
  for (const alg of ["HS384", "HS512"]) {
    await assertRefused(service(), await signed(validClaims(), alg), alg);
  }
});

Deno.test("verify() refuses a token signed with another key", async () => {
  const other = service(() => T0, { secret: "another-secret-another-secret-!!!!" });
  await assertRefused(service(), await other.sign(alice), "wrong key");
});

Deno.test("verify() refuses a token whose payload or signature was changed", async () => {
  const token = await service().sign(alice);
  const [header, , signature] = token.split(".");
  const forged = `${header}.${b64url(validClaims({ sub: "1", name: "admin" }))}.${signature}`;
  await assertRefused(service(), forged, "tampered payload");
  const flipped = signature!.startsWith("A")
    ? `B${signature!.slice(1)}`
    : `A${signature!.slice(1)}`;
  await assertRefused(service(), `${header}.${token.split(".")[1]}.${flipped}`, "tampered sig");
});

Deno.test("verify() refuses a token once its exp has passed", async () => {
  const token = await service().sign(alice);
  const lastValid = service(() => T0 + (TTL - 1) * 1000);
  assert.deepEqual((await lastValid.verify(token)).user, alice);
  await assertRefused(service(() => T0 + (TTL + 1) * 1000), token, "expired");
  await assert.rejects(
    service(() => T0 + TTL * 2000).verify(token),
    (error: AuthError) => error.message === "The token has expired",
  );
});

Deno.test("verify() refuses a token without exp", async () => {
  const { exp: _, ...claims } = validClaims();
  await assertRefused(service(), await signed(claims), "missing exp");
});

Deno.test("verify() refuses a token of another or no issuer", async () => {
  await assertRefused(service(), await signed(validClaims({ iss: "someone-else" })), "issuer");
  const { iss: _, ...claims } = validClaims();
  await assertRefused(service(), await signed(claims), "no issuer");
  const otherIssuer = service(() => T0, { issuer: "someone-else" });
  await assertRefused(service(), await otherIssuer.sign(alice), "other service's issuer");
});

Deno.test("verify() refuses a validly signed token with unusable claims", async () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["sub not a number", validClaims({ sub: "alice" })],
    ["sub zero", validClaims({ sub: "0" })],
    ["sub with leading zero", validClaims({ sub: "012" })],
    ["sub negative", validClaims({ sub: "-3" })],
    ["sub too large", validClaims({ sub: "99999999999999999999" })],
    ["name missing", validClaims({ name: undefined })],
    ["name not a string", validClaims({ name: 12 })],
  ];
  for (const [what, claims] of cases) await assertRefused(service(), await signed(claims), what);
  const { sub: _, ...noSub } = validClaims();
  await assertRefused(service(), await signed(noSub), "sub missing");
});

Deno.test("verify() refuses strings that are not JWTs", async () => {
  for (const token of ["", "abc", "a.b", "a.b.c", "a.b.c.d.e", "Bearer x.y.z"]) {
    await assertRefused(service(), token, JSON.stringify(token));
  }
});

Deno.test("verify() refuses a token it verified before once its exp has passed", async () => {
  let at = Date.UTC(2026, 0, 1);
  const tokens = createTokenService({
    secret: "k".repeat(32),
    issuer: "test",
    ttlSeconds: 60,
    now: () => at,
  });
  const token = await tokens.sign({ id: 7, username: "cached" });
  assert.equal((await tokens.verify(token)).user.id, 7);
  assert.equal((await tokens.verify(token)).user.id, 7); // from the cache
  at += 60_000;
  await assert.rejects(
    tokens.verify(token),
    (error: AuthError) => error.type === "INVALID_AUTH_TOKEN",
  );
});
