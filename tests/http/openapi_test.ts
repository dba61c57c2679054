/**
 * Holds the OpenAPI document (src/http/openapi.ts) against the real routes of
 * a server on port 0: every documented operation exists and answers with a
 * documented status, and every route the app serves is documented.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type JsonObject, openApiDocument } from "../../src/http/openapi.ts";
import { readEnvelope } from "../_helpers/envelope.ts";
import { signIn, startServer } from "../_helpers/server.ts";

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Hono's `/rooms/:room` as OpenAPI's `/rooms/{room}`. */
function toTemplate(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
}

/** Every documented `[METHOD, path template, operation]`. */
function operations(): Array<[string, string, JsonObject]> {
  const out: Array<[string, string, JsonObject]> = [];
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      out.push([method.toUpperCase(), path, operation]);
    }
  }
  return out;
}

Deno.test("GET /api/v1/openapi.json serves the OpenAPI 3.1 document as the envelope's data", async () => {
  await using server = await startServer();
  const body = await readEnvelope(await fetch(`${server.url}/api/v1/openapi.json`), 200);
  assert.equal(body.data.openapi, "3.1.0");
  assert.deepEqual(body.data, JSON.parse(JSON.stringify(openApiDocument)));
});

Deno.test("every path and method in the OpenAPI document answers with a status the document lists", async () => {
  await using server = await startServer();
  const { user } = await signIn(server, "alice");
  for (const [method, template, operation] of operations()) {
    const path = template.replace("{room}", "lobby").replace("{id}", String(user.id));
    const init: RequestInit = { method };
    if (operation.requestBody) {
      init.headers = { "content-type": "application/json" };
      init.body = "{}";
    }
    const response = await fetch(`${server.url}${path}`, init);
    const text = await response.text();
    const label = `${method} ${template} -> ${response.status} ${text.slice(0, 120)}`;
    if (response.status === 404) assert.doesNotMatch(text, /"NOT_FOUND"/, label);
    const responses = operation.responses as JsonObject;
    assert.ok(String(response.status) in responses, `${label}: status not documented`);
    if (template.startsWith("/api/")) {
      assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8", label);
    }
  }
});

Deno.test("every /api route the app serves appears in the OpenAPI document, and nothing else", async () => {
  await using server = await startServer();
  const served = new Set<string>();
  for (const route of server.app.hono.routes) {
    // "ALL" entries are middleware and the 405 answers for a path's other methods.
    if (route.method === "ALL" || route.path.includes("*")) continue;
    served.add(`${route.method} ${toTemplate(route.path)}`);
  }
  assert.ok(served.size >= 10, `only ${served.size} routes found`);
  const documented = new Set(operations().map(([method, path]) => `${method} ${path}`));
  for (const route of served) {
    // Outside /api/ (the web client's pages, for one) only what is documented is held to it.
    if (!route.split(" ")[1]!.startsWith("/api/")) continue;
    assert.ok(documented.has(route), `${route} is not documented`);
  }
  for (const operation of documented) {
    // `/users/me` is answered by the `/users/:id` route (src/http/routes/users.ts).
    const route = operation === "GET /api/v1/users/me" ? "GET /api/v1/users/{id}" : operation;
    assert.ok(served.has(route), `${operation} is documented but not served`);
  }
});

Deno.test("the Allow header of every documented /api path lists exactly the documented methods", async () => {
  await using server = await startServer();
  for (const [template, item] of Object.entries(openApiDocument.paths)) {
    if (!template.startsWith("/api/")) continue;
    const documented = Object.keys(item).map((m) => m.toUpperCase());
    const other = HTTP_METHODS.map((m) => m.toUpperCase()).find((m) => !documented.includes(m))!;
    const path = template.replace("{room}", "lobby").replace("{id}", "1");
    const response = await fetch(`${server.url}${path}`, { method: other });
    const allow = (response.headers.get("allow") ?? "").split(",").map((m) => m.trim());
    await readEnvelope(response, 405, "METHOD_NOT_ALLOWED");
    const expected = documented.includes("GET") ? [...documented, "HEAD"] : documented;
    assert.deepEqual(allow.sort(), expected.sort(), `${other} ${template}`);
  }
});

Deno.test("every documented error response is the error envelope with its error types named", () => {
  const schemas = (openApiDocument.components.schemas ?? {}) as JsonObject;
  const refs: string[] = [];
  const collectRefs = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collectRefs);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "$ref" && typeof inner === "string") refs.push(inner);
        else collectRefs(inner);
      }
    }
  };
  collectRefs(openApiDocument);
  for (const target of refs) {
    const name = target.replace("#/components/schemas/", "");
    assert.ok(name in schemas, `${target} does not resolve`);
  }
  for (const [method, template, operation] of operations()) {
    const label = `${method} ${template}`;
    for (const param of template.matchAll(/\{(\w+)\}/g)) {
      const declared = (operation.parameters ?? []) as JsonObject[];
      assert.ok(
        declared.some((p) => p.name === param[1] && p.in === "path" && p.required === true),
        `${label}: path parameter ${param[1]} is not declared`,
      );
    }
    const responses = Object.entries(operation.responses as JsonObject);
    assert.ok(responses.some(([status]) => /^(1|2)\d\d$/.test(status)), `${label}: no success`);
    for (const [status, response] of responses) {
      const content = (response as JsonObject).content as JsonObject | undefined;
      if (Number(status) < 400) {
        if (!template.startsWith("/api/") || status === "101") continue;
        const schema = (content?.["application/json"] as JsonObject).schema as JsonObject;
        assert.deepEqual(schema.required, ["error", "data"], `${label} ${status}`);
        continue;
      }
      const schema = (content?.["application/json"] as JsonObject | undefined)?.schema as
        | JsonObject
        | undefined;
      assert.ok(schema, `${label} ${status}: no JSON schema`);
      const [base, narrowed] = schema.allOf as JsonObject[];
      assert.deepEqual(base, { $ref: "#/components/schemas/ErrorEnvelope" }, `${label} ${status}`);
      const types = (((narrowed?.properties as JsonObject).error as JsonObject)
        .properties as JsonObject).type as JsonObject;
      const names = types.enum as string[];
      assert.ok(names.length > 0, `${label} ${status}: no error types`);
      for (const name of names) assert.match(name, /^[A-Z][A-Z_]*$/);
    }
  }
});
