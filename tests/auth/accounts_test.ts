import assert from "node:assert/strict";
import { createAccounts } from "../../src/auth/accounts.ts";
import { hashPassword, verifyPassword } from "../../src/auth/password.ts";
import { createTokenService } from "../../src/auth/tokens.ts";
import { type AppError, AuthError, ConflictError, ValidationError } from "../../src/errors.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";

const COST = 1000;

/** A fresh accounts service over a real in-memory store. */
function setup(): { store: Store; accounts: ReturnType<typeof createAccounts> } & AsyncDisposable {
  const store = openSqliteStore({ path: ":memory:" });
  const tokens = createTokenService({
    secret: "accounts-test-secret",
    issuer: "t",
    ttlSeconds: 60,
  });
  const accounts = createAccounts({ store, tokens, iterations: COST });
  return { store, accounts, [Symbol.asyncDispose]: () => store.close() };
}

const tokens = createTokenService({ secret: "accounts-test-secret", issuer: "t", ttlSeconds: 60 });

function isError(kind: new (...args: never[]) => AppError, type: string, status: number) {
  return (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${error}`);
    assert.equal(error.type, type);
    assert.equal(error.status, status);
    return true;
  };
}

Deno.test("signUp() stores the NFC name and a hash of the secret at the configured cost", async () => {
  await using s = setup();
  const user = await s.accounts.signUp("Ame\u0301lie", "my secret");
  assert.ok(Number.isSafeInteger(user.id) && user.id > 0);
  assert.deepEqual(user, { id: user.id, username: "Am\u00e9lie" });
  const record = await s.store.findUserByCanonicalName("am\u00e9lie");
  assert.equal(record?.id, user.id);
  assert.match(record!.passwordHash, new RegExp(`^pbkdf2-sha256\\$${COST}\\$`));
  assert.ok(!record!.passwordHash.includes("my secret"));
  assert.equal((await verifyPassword("my secret", record!.passwordHash, COST)).ok, true);
});

Deno.test("signUp() refuses a name taken in another case or form with USER_EXISTS", async () => {
  await using s = setup();
  await s.accounts.signUp("Alice", "one");
  for (const name of ["alice", "ALICE", "Ａｌｉｃｅ"]) {
    await assert.rejects(
      s.accounts.signUp(name, "two"),
      isError(ConflictError, "USER_EXISTS", 409),
    );
  }
});

Deno.test("signUp() refuses a bad name or secret and stores nothing", async () => {
  await using s = setup();
  await assert.rejects(
    s.accounts.signUp(" bob", "x"),
    isError(ValidationError, "BAD_USERNAME", 400),
  );
  await assert.rejects(s.accounts.signUp("bob", ""), isError(ValidationError, "BAD_PASSWORD", 400));
  await assert.rejects(
    s.accounts.signUp("bob", "x".repeat(1025)),
    isError(ValidationError, "BAD_PASSWORD", 400),
  );
  assert.equal(await s.store.findUserByCanonicalName("bob"), undefined);
});

Deno.test("login() returns a token for the user, whatever case the name is typed in", async () => {
  await using s = setup();
  const alice = await s.accounts.signUp("Alice", "secret");
  for (const typed of ["Alice", "alice", "Ａｌｉｃｅ"]) {
    const result = await s.accounts.login(typed, "secret");
    assert.deepEqual(result.user, { id: alice.id, username: "Alice" });
    assert.deepEqual((await tokens.verify(result.token)).user, { id: alice.id, username: "Alice" });
  }
});

Deno.test("login() refuses an unknown name with USER_NOT_FOUND (400)", async () => {
  await using s = setup();
  await s.accounts.signUp("alice", "secret");
  await assert.rejects(
    s.accounts.login("bob", "secret"),
    isError(ValidationError, "USER_NOT_FOUND", 400),
  );
  await assert.rejects(s.accounts.login("", ""), isError(ValidationError, "USER_NOT_FOUND", 400));
});

Deno.test("login() refuses a wrong secret with PASSWORD_MATCH_FAILED (401)", async () => {
  await using s = setup();
  await s.accounts.signUp("alice", "secret");
  for (const wrong of ["Secret", "secret ", ""]) {
    await assert.rejects(
      s.accounts.login("alice", wrong),
      isError(AuthError, "PASSWORD_MATCH_FAILED", 401),
    );
  }
});

Deno.test("login() on a hash of lower cost upgrades the stored hash", async () => {
  await using s = setup();
  const oldHash = await hashPassword("secret", COST / 2);
  const user = await s.store.createUser({
    username: "old",
    canonical: "old",
    passwordHash: oldHash,
  });

  await assert.rejects(
    s.accounts.login("old", "wrong"),
    isError(AuthError, "PASSWORD_MATCH_FAILED", 401),
  );
  assert.equal(
    (await s.store.findUserByCanonicalName("old"))?.passwordHash,
    oldHash,
    "not on failure",
  );

  const result = await s.accounts.login("old", "secret");
  assert.equal(result.user.id, user.id);
  const upgraded = (await s.store.findUserByCanonicalName("old"))!.passwordHash;
  assert.match(upgraded, new RegExp(`^pbkdf2-sha256\\$${COST}\\$`));
  assert.equal((await verifyPassword("secret", upgraded, COST)).ok, true);

  await s.accounts.login("old", "secret");
  assert.equal(
    (await s.store.findUserByCanonicalName("old"))!.passwordHash,
    upgraded,
    "a hash at the current cost is left alone",
  );
});

Deno.test("login() of an unknown or impossible name costs one PBKDF2 derivation, like a wrong secret", async () => {
  const store = openSqliteStore({ path: ":memory:" });
  const lookups: string[] = [];
  const spied: Store = {
    ...store,
    findUserByCanonicalName: (canonical) => {
      lookups.push(canonical);
      return store.findUserByCanonicalName(canonical);
    },
  };
  const subtle = crypto.subtle;
  const original = subtle.deriveBits;
  let derivations = 0;
  subtle.deriveBits = function (...args: Parameters<SubtleCrypto["deriveBits"]>) {
    derivations++;
    return original.apply(subtle, args);
  } as SubtleCrypto["deriveBits"];
  try {
    const accounts = createAccounts({ store: spied, tokens, iterations: COST });
    await accounts.signUp("alice", "right secret");
    const cost = async (name: string) => {
      derivations = 0;
      await assert.rejects(accounts.login(name, "wrong secret"));
      return derivations;
    };
    assert.equal(await cost("alice"), 1, "a wrong secret");
    assert.equal(await cost("nobody"), 1, "an unknown user, the first time too");
    assert.equal(await cost("nobody"), 1);
    lookups.length = 0;
    // Names sign-up refuses never reach the store (a KV key has a size limit).
    for (const name of ["x".repeat(5000), " alice", "a\u0000b", ""]) {
      assert.equal(await cost(name), 1, JSON.stringify(name.slice(0, 10)));
      await assert.rejects(
        accounts.login(name, "s"),
        isError(ValidationError, "USER_NOT_FOUND", 400),
      );
    }
    assert.deepEqual(lookups, []);
  } finally {
    subtle.deriveBits = original;
    await store.close();
  }
});
