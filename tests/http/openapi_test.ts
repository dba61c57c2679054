/**
 * The OpenAPI document (src/http/openapi.ts): served raw and in the envelope,
 * generated from the schemas the routes validate with, and held against the
 * real routes of a server on port 0 (every documented operation exists and
 * answers with a documented status; every /api route is documented).
 *
 * @module
 */
import assert from "node:assert/strict";
import { resolver } from "hono-openapi";
import { buildOpenApiDocument, type JsonObject } from "../../src/http/openapi.ts";
import { HistoryQuery } from "../../src/http/schemas/rooms.ts";
import { Credentials } from "../../src/http/schemas/users.ts";
import { readEnvelope } from "../_helpers/envelope.ts";
import { signIn, startServer } from "../_helpers/server.ts";
import { startTestApp } from "./test_app.ts";

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Hono's `/rooms/:room` as OpenAPI's `/rooms/{room}`. */
function toTemplate(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
}

/** The app's document. */
async function documentOf() {
  await using app = await startTestApp();
  return await buildOpenApiDocument(app.app.hono);
}

/** Every documented `[METHOD, path template, operation]`. */
async function operations(): Promise<Array<[string, string, JsonObject]>> {
  const out: Array<[string, string, JsonObject]> = [];
  for (const [path, item] of Object.entries((await documentOf()).paths)) {
    for (const [method, operation] of Object.entries(item)) {
      out.push([method.toUpperCase(), path, operation]);
    }
  }
  return out;
}

Deno.test("GET /openapi.json serves the OpenAPI 3.1 document itself, without the envelope, to any origin", async () => {
  await using app = await startTestApp();
  const response = await app.request("/openapi.json", { headers: { origin: "https://x.test" } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  const document = await response.json();
  assert.equal(document.openapi, "3.1.0");
  assert.ok(!("error" in document) && !("data" in document));
  assert.deepEqual(document, await buildOpenApiDocument(app.app.hono));
});

Deno.test("GET /api/v1/openapi.json serves the same document as the envelope's data", async () => {
  await using app = await startTestApp();
  const raw = await (await app.request("/openapi.json")).json();
  const body = await readEnvelope(await app.request("/api/v1/openapi.json"), 200);
  assert.equal(body.data.openapi, "3.1.0");
  assert.deepEqual(body.data, raw);
});

Deno.test("the request body and query of the document are generated from the schemas the routes validate with", async () => {
  const document = await documentOf();
  const users = document.paths["/api/v1/users"]!.post!;
  const login = document.paths["/api/v1/login"]!.post!;
  const credentials = (await resolver(Credentials).toOpenAPISchema()).schema;
  for (const operation of [users, login]) {
    const body = operation.requestBody as JsonObject;
    assert.equal(body.required, true);
    assert.deepEqual((body.content as JsonObject)["application/json"], { schema: credentials });
  }
  const history = document.paths["/api/v1/rooms/{room}/messages"]!.get!;
  const query = (history.parameters as JsonObject[]).filter((p) => p.in === "query");
  assert.deepEqual(query.map((p) => p.name), Object.keys(HistoryQuery.entries));
  assert.deepEqual(query.find((p) => p.name === "limit")?.schema, {
    type: "integer",
    minimum: 1,
    maximum: 100,
  });
});

Deno.test("every success response under /api/ is the envelope around a data schema", async () => {
  for (const [method, template, operation] of await operations()) {
    if (!template.startsWith("/api/")) continue;
    for (const [status, response] of Object.entries(operation.responses as JsonObject)) {
      if (!/^2\d\d$/.test(status)) continue;
      const content = (response as JsonObject).content as JsonObject;
      const schema = (content["application/json"] as JsonObject).schema as JsonObject;
      const label = `${method} ${template} ${status}`;
      assert.deepEqual(schema.required, ["error", "data"], label);
      assert.equal(schema.additionalProperties, false, label);
      const properties = schema.properties as JsonObject;
      assert.deepEqual(properties.error, { type: "null" }, label);
      assert.ok(Object.keys(properties.data as JsonObject).length > 0, `${label}: no data schema`);
    }
  }
});

Deno.test("every documented error response is the error envelope with its error types named", async () => {
  const document = await documentOf();
  const schemas = (document.components.schemas ?? {}) as JsonObject;
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
  collectRefs(document);
  assert.ok(refs.length > 5, `only ${refs.length} references`);
  for (const target of refs) {
    const name = target.replace("#/components/schemas/", "");
    assert.ok(name in schemas, `${target} does not resolve`);
  }
  const operationIds = new Set<string>();
  for (const [method, template, operation] of await operations()) {
    const label = `${method} ${template}`;
    assert.equal(typeof operation.operationId, "string", label);
    assert.ok(!operationIds.has(operation.operationId as string), `${label}: operationId twice`);
    operationIds.add(operation.operationId as string);
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
      if (Number(status) < 400) continue;
      const content = (response as JsonObject).content as JsonObject | undefined;
      const schema = (content?.["application/json"] as JsonObject | undefined)?.schema as
        | JsonObject
        | undefined;
      assert.ok(schema, `${label} ${status}: no JSON schema`);
      assert.deepEqual(schema.required, ["error", "data"], `${label} ${status}`);
      const properties = schema.properties as JsonObject;
      assert.deepEqual(properties.data, { type: "null" }, `${label} ${status}`);
      const error = properties.error as JsonObject;
      assert.deepEqual(error.required, ["type", "message"], `${label} ${status}`);
      const names = ((error.properties as JsonObject).type as JsonObject).enum as string[];
      assert.ok(names.length > 0, `${label} ${status}: no error types`);
      for (const name of names) assert.match(name, /^[A-Z][A-Z_]*$/);
    }
  }
});

Deno.test("every path and method in the OpenAPI document answers with a status the document lists", async () => {
  await using server = await startServer();
  const { user } = await signIn(server, "alice");
  for (const [method, template, operation] of await operations()) {
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
  await using app = await startTestApp();
  const served = new Set<string>();
  for (const route of app.app.hono.routes) {
    // "ALL" entries are middleware and the 405 answers for a path's other methods.
    if (route.method === "ALL" || route.path.includes("*")) continue;
    served.add(`${route.method} ${toTemplate(route.path)}`);
  }
  assert.ok(served.size >= 10, `only ${served.size} routes found`);
  const documented = new Set((await operations()).map(([method, path]) => `${method} ${path}`));
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
  await using app = await startTestApp();
  for (const [template, item] of Object.entries((await documentOf()).paths)) {
    if (!template.startsWith("/api/")) continue;
    const documented = Object.keys(item).map((m) => m.toUpperCase());
    const other = HTTP_METHODS.map((m) => m.toUpperCase()).find((m) => !documented.includes(m))!;
    const path = template.replace("{room}", "lobby").replace("{id}", "1");
    const response = await app.request(path, { method: other });
    const allow = (response.headers.get("allow") ?? "").split(",").map((m) => m.trim());
    await readEnvelope(response, 405, "METHOD_NOT_ALLOWED");
    const expected = documented.includes("GET") ? [...documented, "HEAD"] : documented;
    assert.deepEqual(allow.sort(), expected.sort(), `${other} ${template}`);
  }
});
