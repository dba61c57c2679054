/**
 * Tests of `POST /api/v1/users` (contract §2) and of `GET /api/v1/users/:id`
 * and `/users/me` (contract §4), through `app.request()`; every response is
 * also held against the OpenAPI document.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { canonicalUsername } from "../../../src/auth/username.ts";
import { readEnvelope } from "../../_helpers/envelope.ts";
import { TEST_JWT_SECRET } from "../../_helpers/server.ts";
import { UNTHROTTLED } from "../../_helpers/unthrottled.ts";
import { signInApp, startTestApp, type TestApp } from "../test_app.ts";

function signUp(app: TestApp, body: unknown): Promise<Response> {
  return app.request("/api/v1/users", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

Deno.test("POST /users creates a user with 201, an integer id and the username as typed", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const body = await readEnvelope(
    await signUp(app, { username: "Alice", secret: "s3cret" }),
    201,
  );
  assert.deepEqual(Object.keys(body.data).sort(), ["id", "username"]);
  assert.ok(Number.isSafeInteger(body.data.id) && body.data.id > 0, `id ${body.data.id}`);
  assert.equal(body.data.username, "Alice");
});

Deno.test("POST /users ignores a client-sent id and assigns increasing ids", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const ids: number[] = [];
  for (const [i, claimed] of [1000, 1, -5, 7].entries()) {
    const body = await readEnvelope(
      await signUp(app, { id: claimed, username: `user${i}`, secret: "s3cret" }),
      201,
    );
    ids.push(body.data.id);
  }
  assert.ok(!ids.includes(1000) && !ids.includes(-5), `ids ${ids}`);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids ${ids}`);
});

Deno.test("POST /users stores the username as typed, in NFC", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const decomposed = "Ame\u0301lie";
  const body = await readEnvelope(await signUp(app, { username: decomposed, secret: "s" }), 201);
  assert.equal(body.data.username, "Am\u00e9lie");
  const lookup = await readEnvelope(await app.request(`/api/v1/users/${body.data.id}`), 200);
  assert.equal(lookup.data.username, "Am\u00e9lie");
});

Deno.test("POST /users refuses a bad username with 400 BAD_USERNAME", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const bad: Record<string, string> = {
    empty: "",
    "65 characters": "a".repeat(65),
    "65 code points outside the BMP": "😀".repeat(65),
    NUL: "a\u0000b",
    BEL: "a\u0007b",
    "a line feed": "a\nb",
    DEL: "a\u007f",
    "a C1 control": "a\u0085b",
    "a leading space": " alice",
    "a trailing space": "alice ",
    "a leading tab": "\talice",
    "a trailing no-break space": "alice\u00a0",
    "a leading ideographic space": "\u3000alice",
    "only white space": "   ",
  };
  for (const username of Object.values(bad)) {
    const response = await signUp(app, { username, secret: "s3cret" });
    await readEnvelope(response, 400, "BAD_USERNAME");
  }
  const good = ["a".repeat(64), "😀".repeat(64), "alice smith", "Zoë", "名前"];
  for (const username of good) {
    const body = await readEnvelope(await signUp(app, { username, secret: "s3cret" }), 201);
    assert.equal(body.data.username, username);
  }
});

Deno.test("POST /users refuses an empty secret or one over 1024 UTF-8 bytes with 400 BAD_PASSWORD", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const bad = ["", "x".repeat(1025), "€".repeat(342), "é".repeat(513)];
  for (const [i, secret] of bad.entries()) {
    await readEnvelope(await signUp(app, { username: `bad${i}`, secret }), 400, "BAD_PASSWORD");
  }
  const good = ["x".repeat(1024), "€".repeat(341) + "x", " ", "😀".repeat(256)];
  for (const [i, secret] of good.entries()) {
    await readEnvelope(await signUp(app, { username: `good${i}`, secret }), 201);
    const login = await app.request("/api/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: `good${i}`, secret }),
    });
    await readEnvelope(login, 200);
  }
});

Deno.test("POST /users refuses a taken name with 409 USER_EXISTS, whatever its case or Unicode form", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const taken: Array<[string, string[]]> = [
    ["Alice", ["Alice", "alice", "ALICE", "aLiCe", "ａｌｉｃｅ", "Ａｌｉｃｅ"]],
    ["Am\u00e9lie", ["Ame\u0301lie", "AM\u00c9LIE", "ame\u0301lie"]],
    ["Straße", ["STRASSE", "strasse", "Strasse"]],
    ["ﬁsh", ["fish", "FISH"]],
    ["①", ["1"]],
  ];
  for (const [first, variants] of taken) {
    await readEnvelope(await signUp(app, { username: first, secret: "s3cret" }), 201);
    for (const variant of variants) {
      assert.equal(canonicalUsername(variant), canonicalUsername(first), variant);
      const response = await signUp(app, { username: variant, secret: "other" });
      await readEnvelope(response, 409, "USER_EXISTS");
    }
  }
  // The first spelling is kept as typed.
  const login = await app.request("/api/v1/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "ALICE", secret: "s3cret" }),
  });
  assert.equal((await readEnvelope(login, 200)).data.user.username, "Alice");
});

Deno.test("no response carries the secret or its stored hash", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const secret = "correct-horse-battery-staple-7f3a";
  const texts: string[] = [];
  const record = async (response: Response) => {
    texts.push(await response.text() + JSON.stringify([...response.headers]));
  };
  await record(await signUp(app, { username: "alice", secret }));
  await record(await signUp(app, { username: "ALICE", secret }));
  const login = (init: { username: string; secret: string }) =>
    app.request("/api/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(init),
    });
  const good = await login({ username: "alice", secret });
  const token = (await good.clone().json()).data.token as string;
  await record(good);
  await record(await login({ username: "alice", secret: secret + "x" }));
  await record(await login({ username: "nobody", secret }));
  await record(await app.request("/api/v1/users/1"));
  await record(
    await app.request("/api/v1/users/me", { headers: { authorization: `Bearer ${token}` } }),
  );
  const stored = await app.store.findUserByCanonicalName(canonicalUsername("alice"));
  assert.ok(stored);
  const [, , salt, hash] = stored.passwordHash.split("$");
  assert.ok(salt && hash, "the stored hash has a salt and a hash");
  for (const text of texts) {
    assert.ok(!text.includes(secret), text);
    assert.ok(!text.includes(stored.passwordHash), text);
    assert.ok(!text.includes(salt) && !text.includes(hash), text);
    assert.doesNotMatch(text, /pbkdf2|passwordHash|password_hash|"secret"/i, text);
  }
});

Deno.test("GET /users/:id returns exactly {id, username}", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const { user } = await signInApp(app, "alice");
  const body = await readEnvelope(await app.request(`/api/v1/users/${user.id}`), 200);
  assert.deepEqual(body.data, { id: user.id, username: "alice" });
});

Deno.test("GET /users/:id of an unknown id gets 404 USER_NOT_FOUND", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const { user } = await signInApp(app, "alice");
  for (const id of [user.id + 1, 999_999, Number.MAX_SAFE_INTEGER]) {
    await readEnvelope(await app.request(`/api/v1/users/${id}`), 404, "USER_NOT_FOUND");
  }
});

Deno.test("GET /users/:id with an id that is not a positive integer gets 400 BAD_QUERY", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  for (const id of ["abc", "0", "-1", "1.5", "1e3", "01", "%20", "0x10", "99999999999999999999"]) {
    await readEnvelope(await app.request(`/api/v1/users/${id}`), 400, "BAD_QUERY");
  }
});

Deno.test("GET /users/me returns the caller for a valid Bearer token", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  await signInApp(app, "bob");
  for (const scheme of ["Bearer", "bearer"]) {
    const response = await app.request("/api/v1/users/me", {
      headers: { authorization: `${scheme} ${alice.token}` },
    });
    assert.deepEqual((await readEnvelope(response, 200)).data, { ...alice.user, admin: false });
  }
});

Deno.test("GET /users/me without a token, or with a bad or expired one, gets 401 INVALID_AUTH_TOKEN", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ name: "alice" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(alice.user.id))
    .setIssuer("deno-chat")
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  const [head, , signature] = alice.token.split(".");
  const forgedPayload = btoa(
    JSON.stringify({ sub: "1", name: "root", exp: now + 3600, iss: "deno-chat" }),
  )
    .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const headers: Array<Record<string, string>> = [
    {},
    { authorization: "" },
    { authorization: "Bearer" },
    { authorization: `Basic ${btoa("alice:s3cret")}` },
    { authorization: alice.token },
    { authorization: "Bearer not-a-token" },
    { authorization: `Bearer ${expired}` },
    { authorization: `Bearer ${head}.${forgedPayload}.${signature}` },
    { authorization: `Bearer ${alice.token}x` },
  ];
  for (const header of headers) {
    const response = await app.request("/api/v1/users/me", { headers: header });
    await readEnvelope(response, 401, "INVALID_AUTH_TOKEN");
  }
});
