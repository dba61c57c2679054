/**
 * End-to-end tests of how `POST /api/v1/users` and `POST /api/v1/login` bind
 * their bodies (contract §2, the BAD_BINDING and PAYLOAD_TOO_LARGE rows), on a
 * real server, with raw TCP for bodies `fetch` cannot send.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readEnvelope } from "../_helpers/envelope.ts";
import { rawRequest } from "../_helpers/raw_http.ts";
import { postJson, signIn, startServer, type TestServer } from "../_helpers/server.ts";
import { UNTHROTTLED } from "../_helpers/unthrottled.ts";

const ENDPOINTS = ["/api/v1/users", "/api/v1/login"] as const;
const LIMIT = 16 * 1024;

function portOf(server: TestServer): number {
  return Number(new URL(server.url).port);
}

function post(server: TestServer, path: string, body: BodyInit, headers: HeadersInit = {}) {
  return fetch(`${server.url}${path}`, { method: "POST", headers, body });
}

/** A credentials body padded with white space to exactly `bytes` bytes. */
function bodyOfSize(bytes: number, username = "nobody"): string {
  const base = JSON.stringify({ username, secret: "x" });
  return base.slice(0, -1) + " ".repeat(bytes - base.length) + "}";
}

for (const endpoint of ENDPOINTS) {
  Deno.test(`POST ${endpoint} refuses a body that is not a JSON object with 400 BAD_BINDING`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const bodies = [
      "42",
      '"alice"',
      "null",
      "true",
      "[]",
      '[{"username":"alice","secret":"s"}]',
      "",
      "{",
      '{"username":"alice","secret":"s"',
      "{'username':'alice','secret':'s'}",
      '{"username":"alice","secret":"s"} {}',
    ];
    for (const body of bodies) {
      const response = await post(server, endpoint, body, { "content-type": "application/json" });
      await readEnvelope(response, 400, "BAD_BINDING");
    }
  });

  Deno.test(`POST ${endpoint} refuses a media type other than application/json with 400 BAD_BINDING`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const body = JSON.stringify({ username: "alice", secret: "s3cret" });
    const types = [
      "text/plain",
      "text/plain; charset=utf-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      "application/json-patch+json",
      "application/javascript",
      "json",
    ];
    for (const type of types) {
      await readEnvelope(
        await post(server, endpoint, body, { "content-type": type }),
        400,
        "BAD_BINDING",
      );
    }
    // A Uint8Array body makes fetch send no Content-Type at all.
    const untyped = await post(server, endpoint, new TextEncoder().encode(body));
    await readEnvelope(untyped, 400, "BAD_BINDING");
    // None of them created the user.
    if (endpoint === "/api/v1/users") {
      const login = await postJson(`${server.url}/api/v1/login`, {
        username: "alice",
        secret: "s3cret",
      });
      assert.equal(login.body.error.type, "USER_NOT_FOUND");
    }
  });

  Deno.test(`POST ${endpoint} accepts application/json with parameters, in any case`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const types = [
      "application/json; charset=UTF-8",
      "application/json;charset=utf-8",
      "Application/JSON",
      'APPLICATION/JSON ; Charset="utf-8"',
    ];
    for (const [i, type] of types.entries()) {
      const username = `user${i}`;
      const body = JSON.stringify({ username, secret: "s3cret" });
      if (endpoint === "/api/v1/login") await signIn(server, username, "s3cret");
      const response = await post(server, endpoint, body, { "content-type": type });
      const envelope = await readEnvelope(response, endpoint === "/api/v1/users" ? 201 : 200);
      const user = endpoint === "/api/v1/users" ? envelope.data : envelope.data.user;
      assert.equal(user.username, username, type);
    }
  });

  Deno.test(`POST ${endpoint} refuses a missing or non-string field with 400 BAD_BINDING`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    await signIn(server, "alice", "s3cret");
    const bodies = [
      {},
      { username: "alice" },
      { secret: "s3cret" },
      { username: 1, secret: "s3cret" },
      { username: null, secret: "s3cret" },
      { username: ["alice"], secret: "s3cret" },
      { username: { name: "alice" }, secret: "s3cret" },
      { username: "alice", secret: 123456 },
      { username: "alice", secret: null },
      { username: "alice", secret: true },
      { Username: "alice", Secret: "s3cret" },
    ];
    for (const body of bodies) {
      const response = await post(server, endpoint, JSON.stringify(body), {
        "content-type": "application/json",
      });
      await readEnvelope(response, 400, "BAD_BINDING");
    }
  });

  Deno.test(`POST ${endpoint} refuses a body that is not valid UTF-8 with 400 BAD_BINDING`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const encoder = new TextEncoder();
    const bodies = [
      [
        encoder.encode('{"username":"'),
        new Uint8Array([0xff, 0xfe]),
        encoder.encode('","secret":"x"}'),
      ],
      [encoder.encode('{"username":"a","secret":"'), new Uint8Array([0xc3]), encoder.encode('"}')],
      [
        encoder.encode('{"username":"'),
        new Uint8Array([0xed, 0xa0, 0x80]),
        encoder.encode('","secret":"x"}'),
      ],
    ];
    for (const parts of bodies) {
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.byteLength;
      }
      const response = await post(server, endpoint, bytes, { "content-type": "application/json" });
      await readEnvelope(response, 400, "BAD_BINDING");
    }
  });

  Deno.test(`POST ${endpoint} refuses a body cut short of its Content-Length with 400 BAD_BINDING`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const partial = '{"username":"alice","sec';
    const response = await rawRequest(
      portOf(server),
      `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: 100\r\n\r\n${partial}`,
      { closeWrite: true },
    );
    assert.equal(response.status, 400, response.body);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    const body = JSON.parse(response.body);
    assert.equal(body.error.type, "BAD_BINDING");
    assert.equal(body.data, null);
    // The server is still well.
    const after = await postJson(`${server.url}/api/v1/users`, { username: "alice", secret: "x" });
    assert.equal(after.status, 201);
  });

  Deno.test(`POST ${endpoint} refuses a chunked body cut off mid-stream with 400 BAD_BINDING`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const response = await rawRequest(
      portOf(server),
      `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n10\r\n{"username":"ali\r\n`,
      { closeWrite: true },
    );
    assert.equal(response.status, 400, response.body);
    assert.equal(JSON.parse(response.body).error.type, "BAD_BINDING");
  });

  Deno.test(`POST ${endpoint} survives a client that closes mid-body and keeps serving`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: portOf(server) });
    await conn.write(
      new TextEncoder().encode(
        `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: 500\r\n\r\n{"username":"bo`,
      ),
    );
    conn.close();
    const after = await postJson(`${server.url}/api/v1/users`, { username: "bob", secret: "x" });
    assert.equal(after.status, 201);
    assert.equal(after.body.data.username, "bob");
  });

  Deno.test(`POST ${endpoint} refuses a body over 16 KiB with a Content-Length with 413 PAYLOAD_TOO_LARGE`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const response = await post(server, endpoint, bodyOfSize(LIMIT + 1), {
      "content-type": "application/json",
    });
    await readEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
    const huge = await post(server, endpoint, bodyOfSize(1024 * 1024), {
      "content-type": "application/json",
    });
    await readEnvelope(huge, 413, "PAYLOAD_TOO_LARGE");
    // A declared length alone is enough: the server does not wait for the body.
    const declared = await rawRequest(
      portOf(server),
      `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${LIMIT + 1}\r\n\r\n{`,
      { timeoutMs: 2000 },
    );
    assert.equal(declared.status, 413);
    assert.equal(JSON.parse(declared.body).error.type, "PAYLOAD_TOO_LARGE");
    // Too large is said first, whatever the media type.
    for (const type of ["text/plain", undefined]) {
      const mistyped = await post(
        server,
        endpoint,
        bodyOfSize(LIMIT + 1),
        type ? { "content-type": type } : {},
      );
      await readEnvelope(mistyped, 413, "PAYLOAD_TOO_LARGE");
    }
  });

  Deno.test(`POST ${endpoint} refuses a chunked body over 16 KiB (no Content-Length) with 413 PAYLOAD_TOO_LARGE`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const body = bodyOfSize(LIMIT + 1000);
    let chunked = "";
    for (let i = 0; i < body.length; i += 4096) {
      const chunk = body.slice(i, i + 4096);
      chunked += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    }
    chunked += "0\r\n\r\n";
    const response = await rawRequest(
      portOf(server),
      `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n${chunked}`,
    );
    assert.equal(response.status, 413, response.body);
    assert.equal(JSON.parse(response.body).error.type, "PAYLOAD_TOO_LARGE");
    // The same through fetch with a stream body, which fetch sends chunked.
    const streamed = await post(
      server,
      endpoint,
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      { "content-type": "application/json" },
    );
    await readEnvelope(streamed, 413, "PAYLOAD_TOO_LARGE");
  });

  Deno.test(`POST ${endpoint} reads a body of exactly 16 KiB`, async () => {
    await using server = await startServer({ env: UNTHROTTLED });
    const body = bodyOfSize(LIMIT);
    assert.equal(new TextEncoder().encode(body).byteLength, LIMIT);
    const response = await post(server, endpoint, body, { "content-type": "application/json" });
    // Read and bound: sign-up creates the user; login finds no such user.
    if (endpoint === "/api/v1/users") await readEnvelope(response, 201);
    else await readEnvelope(response, 400, "USER_NOT_FOUND");
  });
}
