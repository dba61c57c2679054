/**
 * The revoked-token list (src/auth/revocation_list.ts) over a real SQLite
 * `:memory:` store, and the token service consulting it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { createTokenService } from "../../src/auth/tokens.ts";
import { AuthError } from "../../src/errors.ts";
import type { Revocation } from "../../src/store/store.ts";
import { memoryStore } from "../_helpers/server.ts";

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

async function setup(at = { now: T0 }) {
  const store = await memoryStore("sqlite", () => at.now);
  const list = (refreshMs?: number) =>
    new RevocationList({ store, now: () => at.now, lookbackMs: DAY, refreshMs });
  return {
    store,
    at,
    list,
    async [Symbol.asyncDispose]() {
      await store.close();
    },
  };
}

Deno.test("RevocationList: a revocation made here counts at once, and one made elsewhere after a refresh", async () => {
  await using s = await setup();
  const here = s.list();
  const there = s.list();
  await Promise.all([here.ready(), there.ready()]);
  const token = { jti: "a1", userId: 7, issuedAtMs: T0 - 1000 };
  assert.equal(here.isRevoked(token), false);
  await here.revokeToken("a1", T0 + 60_000);
  assert.equal(here.isRevoked(token), true, "at once where it was made");
  assert.equal(there.isRevoked(token), false, "not yet elsewhere");
  await there.refresh();
  assert.equal(there.isRevoked(token), true, "elsewhere after a refresh");
  assert.equal(there.isRevoked({ ...token, jti: "a2" }), false, "another token of the user");
});

Deno.test("RevocationList: a user's cutoff revokes the tokens issued before it only", async () => {
  await using s = await setup();
  const list = s.list();
  await list.ready();
  await list.revokeUser(7, T0);
  assert.equal(list.isRevoked({ jti: "x", userId: 7, issuedAtMs: T0 - 1 }), true);
  assert.equal(list.isRevoked({ jti: "y", userId: 7, issuedAtMs: T0 }), false);
  assert.equal(list.isRevoked({ userId: 8, issuedAtMs: T0 - 1 }), false);
  // A later list reads the same from the store.
  const fresh = s.list();
  await fresh.ready();
  assert.equal(fresh.isRevoked({ userId: 7, issuedAtMs: T0 - 1 }), true);
});

Deno.test("RevocationList: listeners hear news once, whether applied, made or read", async () => {
  await using s = await setup();
  const list = s.list();
  await list.ready();
  const heard: Revocation[] = [];
  const stop = list.onRevoked((r) => heard.push(r));
  const made = await list.revokeToken("t1", T0 + 60_000);
  assert.equal(list.apply(made), false, "already known");
  await list.refresh();
  assert.deepEqual(heard, [made]);
  await s.list().revokeUser(9, T0); // by another isolate
  await list.refresh();
  assert.deepEqual(heard.map((r) => r.kind), ["token", "user"]);
  assert.equal(list.apply({ kind: "user", userId: 9, beforeMs: T0 - 5, atMs: T0 }), false);
  assert.equal(list.apply({ kind: "user", userId: 9, beforeMs: T0 + 5, atMs: T0 + 5 }), true);
  stop();
  await list.revokeToken("t2", T0 + 60_000);
  assert.equal(heard.length, 3, "a stopped listener hears nothing");
});

Deno.test("RevocationList: an expired token's revocation is forgotten on refresh", async () => {
  await using s = await setup();
  const list = s.list();
  await list.ready();
  await list.revokeToken("old", T0 + 1000);
  assert.equal(list.isRevoked({ jti: "old", userId: 1, issuedAtMs: T0 - DAY }), true);
  s.at.now = T0 + 2000;
  await list.refresh();
  assert.equal(list.isRevoked({ jti: "old", userId: 1, issuedAtMs: T0 - DAY }), false);
});

Deno.test("RevocationList: start() refreshes on its own until close()", async () => {
  await using s = await setup();
  const list = s.list(20);
  await list.ready();
  list.start();
  try {
    await s.list().revokeToken("polled", T0 + 60_000);
    const ref = { jti: "polled", userId: 1, issuedAtMs: T0 };
    for (let i = 0; i < 100 && !list.isRevoked(ref); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(list.isRevoked(ref), true);
  } finally {
    list.close();
  }
});

Deno.test("verify() refuses a revoked token with 401 and accepts the user's next one", async () => {
  await using s = await setup();
  const list = s.list();
  const tokens = createTokenService({
    secret: "k".repeat(32),
    issuer: "t",
    ttlSeconds: 3600,
    now: () => s.at.now,
    revocations: list,
  });
  const alice = { id: 3, username: "alice" };
  const first = await tokens.sign(alice);
  const claims = await tokens.verify(first);
  assert.equal(tokens.isRevoked(claims), false);
  await list.revokeToken(claims.jti!, claims.exp * 1000);
  assert.equal(tokens.isRevoked(claims), true);
  await assert.rejects(tokens.verify(first), (error: AuthError) => {
    assert.equal(error.status, 401);
    assert.equal(error.type, "INVALID_AUTH_TOKEN");
    assert.match(error.message, /revoked/);
    return true;
  });
  // Logging out everywhere cuts off at a millisecond: a token issued just after still works.
  s.at.now += 1;
  const second = await tokens.sign(alice);
  await list.revokeUser(alice.id, s.at.now + 1);
  await assert.rejects(tokens.verify(second), AuthError);
  s.at.now += 1;
  const third = await tokens.sign(alice);
  assert.deepEqual((await tokens.verify(third)).user, alice);
});
