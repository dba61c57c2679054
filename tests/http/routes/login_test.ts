/**
 * Tests of `POST /api/v1/login` (contract §2) through `app.request()`; every
 * response is also held against the OpenAPI document.
 * The 429 throttle has its own tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { readEnvelope } from "../../_helpers/envelope.ts";
import { TEST_JWT_SECRET } from "../../_helpers/server.ts";
import { UNTHROTTLED } from "../../_helpers/unthrottled.ts";
import { startTestApp, type TestApp } from "../test_app.ts";

function post(app: TestApp, path: string, body: unknown): Promise<Response> {
  return app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function createUser(app: TestApp, username: string, secret: string) {
  return (await readEnvelope(await post(app, "/api/v1/users", { username, secret }), 201))
    .data as {
      id: number;
      username: string;
    };
}

Deno.test("POST /login answers 200 with a token and exactly {id, username} of the user", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const user = await createUser(app, "alice", "s3cret");
  const body = await readEnvelope(
    await post(app, "/api/v1/login", { username: "alice", secret: "s3cret" }),
    200,
  );
  assert.deepEqual(Object.keys(body.data).sort(), ["token", "user"]);
  assert.deepEqual(body.data.user, user);
  assert.equal(typeof body.data.token, "string");
});

Deno.test("POST /login issues an HS256 JWT whose claims are exactly sub, name, iat, exp, iss and jti", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const user = await createUser(app, "alice", "s3cret");
  const before = Math.floor(Date.now() / 1000);
  const body = await readEnvelope(
    await post(app, "/api/v1/login", { username: "alice", secret: "s3cret" }),
    200,
  );
  const after = Math.floor(Date.now() / 1000);
  const token = body.data.token as string;
  assert.equal(decodeProtectedHeader(token).alg, "HS256");
  const claims = decodeJwt(token);
  assert.deepEqual(Object.keys(claims).sort(), ["exp", "iat", "iss", "jti", "name", "sub"]);
  assert.equal(claims.sub, String(user.id));
  assert.equal(claims.name, "alice");
  assert.equal(claims.iss, "deno-chat");
  assert.ok(claims.iat! >= before && claims.iat! <= after, `iat ${claims.iat}`);
  assert.equal(claims.exp! - claims.iat!, 24 * 60 * 60);
  // It is signed with the server's secret.
  const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_JWT_SECRET), {
    algorithms: ["HS256"],
  });
  assert.equal(payload.sub, String(user.id));
});

Deno.test("POST /login takes the token lifetime from TOKEN_TTL", async () => {
  await using app = await startTestApp({ env: { ...UNTHROTTLED, TOKEN_TTL: "600" } });
  await createUser(app, "alice", "s3cret");
  const body = await readEnvelope(
    await post(app, "/api/v1/login", { username: "alice", secret: "s3cret" }),
    200,
  );
  const claims = decodeJwt(body.data.token);
  assert.equal(claims.exp! - claims.iat!, 600);
});

Deno.test("POST /login finds the user whatever the case or Unicode form of the name", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const user = await createUser(app, "Am\u00e9lie", "s3cret");
  for (const username of ["Am\u00e9lie", "am\u00e9lie", "AME\u0301LIE"]) {
    const body = await readEnvelope(
      await post(app, "/api/v1/login", { username, secret: "s3cret" }),
      200,
    );
    assert.deepEqual(body.data.user, user);
    assert.equal(decodeJwt(body.data.token).name, "Am\u00e9lie");
  }
});

Deno.test("POST /login of an unknown user gets 400 USER_NOT_FOUND", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  await createUser(app, "alice", "s3cret");
  for (const username of ["bob", "alice2", " alice", ""]) {
    await readEnvelope(
      await post(app, "/api/v1/login", { username, secret: "s3cret" }),
      400,
      "USER_NOT_FOUND",
    );
  }
});

Deno.test("POST /login with a wrong secret gets 401 PASSWORD_MATCH_FAILED", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  await createUser(app, "alice", "s3cret");
  for (const secret of ["wrong", "S3CRET", "s3cret ", "", "s3cre"]) {
    await readEnvelope(
      await post(app, "/api/v1/login", { username: "alice", secret }),
      401,
      "PASSWORD_MATCH_FAILED",
    );
  }
  // The right secret still works afterwards.
  await readEnvelope(
    await post(app, "/api/v1/login", { username: "alice", secret: "s3cret" }),
    200,
  );
});
