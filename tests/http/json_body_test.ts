/**
 * `jsonBody()` (src/http/read_json_body.ts) on a route of its own: the pattern
 * a new route with a body follows. One schema validates the body, with
 * `BAD_BINDING` messages that name the field, and is the request body of the
 * generated document.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { describeRoute, generateSpecs } from "hono-openapi";
import * as v from "valibot";
import type { AppEnv } from "../../src/http/env.ts";
import { onError } from "../../src/http/on_error.ts";
import { jsonBody } from "../../src/http/read_json_body.ts";
import { ok } from "../../src/http/schemas/responses.ts";
import { silentLogger } from "../../src/log.ts";
import { readEnvelope } from "../_helpers/envelope.ts";

const NewRoom = v.object({
  name: v.string(),
  visibility: v.picklist(["public", "private"]),
  title: v.optional(v.string()),
  size: v.optional(v.pipe(v.number(), v.integer("a whole number"))),
  owner: v.optional(v.object({ id: v.number() })),
});

function app() {
  const hono = new Hono<AppEnv>()
    .post(
      "/rooms",
      describeRoute({ responses: { "201": ok("Created", v.object({ name: v.string() })) } }),
      jsonBody(NewRoom),
      (c) => {
        const body = c.req.valid("json");
        return c.json({ error: null, data: body }, 201);
      },
    );
  hono.onError(onError(silentLogger));
  return hono;
}

function post(body: string, type = "application/json") {
  // As a client sends it: with its length (`Request` itself leaves it to the transport).
  const headers = { "content-type": type, "content-length": String(new Blob([body]).size) };
  return app().request("/rooms", { method: "POST", headers, body });
}

Deno.test("jsonBody() hands the handler the validated body, without unknown fields", async () => {
  const response = await post('{"name":"lobby","visibility":"public","extra":1,"size":3}');
  const body = await response.json();
  assert.equal(response.status, 201);
  assert.deepEqual(body.data, { name: "lobby", visibility: "public", size: 3 });
});

Deno.test("jsonBody() refuses a field that does not fit with 400 BAD_BINDING naming it", async () => {
  const cases: Array<[string, string]> = [
    ['{"visibility":"public"}', 'Field "name" must be a string'],
    ['{"name":5,"visibility":"public"}', 'Field "name" must be a string'],
    ['{"name":"a"}', 'Field "visibility" must be "public" | "private"'],
    ['{"name":"a","visibility":"secret"}', 'Field "visibility" must be "public" | "private"'],
    ['{"name":"a","visibility":"public","title":null}', 'Field "title" must be a string'],
    ['{"name":"a","visibility":"public","size":"3"}', 'Field "size" must be a number'],
    ['{"name":"a","visibility":"public","size":1.5}', 'Field "size" must be a whole number'],
    ['{"name":"a","visibility":"public","owner":"me"}', 'Field "owner" must be an object'],
    ['{"name":"a","visibility":"public","owner":{}}', 'Field "owner.id" must be a number'],
  ];
  for (const [body, message] of cases) {
    const envelope = await readEnvelope(await post(body), 400, "BAD_BINDING");
    assert.equal(envelope.error!.message, message, body);
  }
});

Deno.test("jsonBody() reads the body first: media type, size and JSON errors come before the schema", async () => {
  await readEnvelope(await post('{"name":"a"}', "text/plain"), 400, "BAD_BINDING");
  await readEnvelope(await post("[1]"), 400, "BAD_BINDING");
  const huge = JSON.stringify({ name: "x".repeat(20_000) });
  await readEnvelope(await post(huge, "text/plain"), 413, "PAYLOAD_TOO_LARGE");
});

Deno.test("jsonBody()'s schema is the route's request body in the generated document", async () => {
  const document = await generateSpecs(app(), { defaultValidationErrorResponse: false });
  const operation = document.paths["/rooms"]?.post;
  const body = operation?.requestBody as { content: Record<string, { schema: unknown }> };
  assert.deepEqual(body.content["application/json"]?.schema, {
    type: "object",
    properties: {
      name: { type: "string" },
      visibility: { enum: ["public", "private"], type: "string" },
      title: { type: "string" },
      size: { type: "integer" },
      owner: { type: "object", properties: { id: { type: "number" } }, required: ["id"] },
    },
    required: ["name", "visibility"],
  });
});
