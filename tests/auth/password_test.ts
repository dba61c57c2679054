import assert from "node:assert/strict";
import { pbkdf2Sync } from "node:crypto";
import { dummyHash, hashPassword, verifyPassword } from "../../src/auth/password.ts";

const COST = 1000;
const B64 = "[A-Za-z0-9+/]+={0,2}";

Deno.test("hashPassword() writes pbkdf2-sha256$iter$salt$hash with a 16-byte salt", async () => {
  const stored = await hashPassword("correct horse", COST);
  assert.match(stored, new RegExp(`^pbkdf2-sha256\\$${COST}\\$${B64}\\$${B64}$`));
  const [, , salt, hash] = stored.split("$");
  assert.equal(atob(salt!).length, 16);
  assert.equal(atob(hash!).length, 32);
});

Deno.test("hashPassword() output matches an independent PBKDF2-HMAC-SHA-256", async () => {
  const stored = await hashPassword("pässwörd 😀", COST);
  const [, , salt, hash] = stored.split("$");
  const saltBytes = Uint8Array.from(atob(salt!), (c) => c.charCodeAt(0));
  const expected = pbkdf2Sync("pässwörd 😀", saltBytes, COST, 32, "sha256").toString("base64");
  assert.equal(hash, expected);
});

Deno.test("hashPassword() uses a fresh salt each time", async () => {
  const a = await hashPassword("same secret", COST);
  const b = await hashPassword("same secret", COST);
  assert.notEqual(a.split("$")[2], b.split("$")[2]);
  assert.notEqual(a, b);
  assert.equal((await verifyPassword("same secret", a, COST)).ok, true);
  assert.equal((await verifyPassword("same secret", b, COST)).ok, true);
});

Deno.test("verifyPassword() accepts the right secret and refuses a wrong one", async () => {
  const stored = await hashPassword("pässwörd 😀", COST);
  assert.deepEqual(await verifyPassword("pässwörd 😀", stored, COST), {
    ok: true,
    needsRehash: false,
  });
  for (const wrong of ["pässwörd", "Pässwörd 😀", "pässwörd 😀 ", ""]) {
    assert.deepEqual(await verifyPassword(wrong, stored, COST), { ok: false, needsRehash: false });
  }
});

Deno.test("verifyPassword() asks for a rehash only when the stored cost is lower", async () => {
  const stored = await hashPassword("secret", COST);
  assert.deepEqual(await verifyPassword("secret", stored, COST * 2), {
    ok: true,
    needsRehash: true,
  });
  assert.deepEqual(await verifyPassword("secret", stored, COST), { ok: true, needsRehash: false });
  assert.deepEqual(await verifyPassword("secret", stored, COST / 2), {
    ok: true,
    needsRehash: false,
  });
  assert.deepEqual(await verifyPassword("wrong", stored, COST * 2), {
    ok: false,
    needsRehash: false,
  });
});

Deno.test("verifyPassword() returns ok false for a malformed stored hash", async () => {
  const good = await hashPassword("secret", COST);
  const [, , salt, hash] = good.split("$");
  const malformed = [
    "",
    "secret",
    "pbkdf2-sha256",
    `bcrypt$${COST}$${salt}$${hash}`,
    `pbkdf2-sha256$abc$${salt}$${hash}`,
    `pbkdf2-sha256$0$${salt}$${hash}`,
    `pbkdf2-sha256$-5$${salt}$${hash}`,
    `pbkdf2-sha256$1.5$${salt}$${hash}`,
    `pbkdf2-sha256$${COST}$${salt}`,
    `pbkdf2-sha256$${COST}$${salt}$${hash}$extra`,
    `pbkdf2-sha256$${COST}$!!!$${hash}`,
    `pbkdf2-sha256$${COST}$${salt}$%%%`,
    `pbkdf2-sha256$${COST}$${salt}$${hash!.slice(0, 20)}`,
    `pbkdf2-sha256$${COST}$${salt}$`,
  ];
  for (const stored of malformed) {
    assert.deepEqual(
      await verifyPassword("secret", stored, COST),
      { ok: false, needsRehash: false },
      JSON.stringify(stored),
    );
  }
});

Deno.test("dummyHash() is a well-formed hash at the given cost that no guess matches", async () => {
  const stored = await dummyHash(COST);
  assert.match(stored, new RegExp(`^pbkdf2-sha256\\$${COST}\\$`));
  assert.equal((await verifyPassword("", stored, COST)).ok, false);
  assert.equal((await verifyPassword("secret", stored, COST)).ok, false);
});
