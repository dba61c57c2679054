/**
 * The OpenAPI 3.1 document, generated from the schemas the routes validate
 * with (`describeRoute`, `jsonBody`, `queryParams`), and
 * the routes that serve it: `GET /openapi.json` as it is, for Swagger UI,
 * Redoc and openapi-generator, and `GET /api/v1/openapi.json` in the envelope
 * like every `/api/` answer.
 *
 * A route documents itself where it is registered; the few operations whose
 * handlers cannot carry a description (`/users/me` shares the route of
 * `/users/:id`; the socket join and `/metrics` are registered
 * elsewhere) are described in {@linkcode describedElsewhere}.
 * `tests/http/openapi_test.ts` holds the documented paths against the served
 * ones, and every HTTP test holds the real responses against the document.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute, generateSpecs, resolver } from "hono-openapi";
import type * as v from "valibot";
import { dataResponse } from "./envelope.ts";
import type { AppEnv } from "./env.ts";
import { methodNotAllowed } from "./method_not_allowed.ts";
import { queryParams } from "./query.ts";
import { MAX_BODY_BYTES } from "./read_json_body.ts";
import { METRICS, OPENAPI_ENVELOPED, OPENAPI_RAW } from "./schemas/operations.ts";
import { ErrorEnvelope } from "./schemas/responses.ts";
import { ClientFrame, socketOperation, SocketQuery } from "./schemas/room_socket.ts";
import { ME } from "./schemas/users.ts";

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The parts of an OpenAPI 3.1 document this server describes. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: JsonObject;
  readonly servers: JsonObject[];
  /** Path template (`/api/v1/rooms/{room}`) → lower-case method → operation. */
  readonly paths: Record<string, Record<string, JsonObject>>;
  readonly components: JsonObject;
}

const INFO = {
  title: "Chat server API",
  version: "1.0.0",
  license: { name: "MIT", identifier: "MIT" },
  description: [
    "Every response under /api/ that has a body is `{error, data}`: `error` is null on 2xx,",
    "`data` is null on 4xx/5xx. An unknown path gets 404 NOT_FOUND; a known path with another",
    "method gets 405 METHOD_NOT_ALLOWED with an `Allow` header (both as `ErrorEnvelope`).",
    `Request bodies are JSON objects of at most ${MAX_BODY_BYTES} bytes.`,
  ].join(" "),
};

/** Operations whose handlers are registered where they cannot carry a description. */
function describedElsewhere(): Hono {
  return new Hono()
    .get("/metrics", describeRoute(METRICS))
    .get("/api/v1/users/me", describeRoute(ME))
    .get(
      "/api/v1/rooms/:room/messages/ws",
      describeRoute(socketOperation("Join a room over a WebSocket")),
      queryParams(SocketQuery),
    )
    .get(
      "/api/v1/rooms/:room/ws",
      describeRoute(socketOperation("Join a room over a WebSocket (the same as /messages/ws)")),
      queryParams(SocketQuery),
    );
}

/** OpenAPI components, as the schema resolver makes them. */
type Components = NonNullable<
  Awaited<ReturnType<ReturnType<typeof resolver>["toOpenAPISchema"]>>["components"]
>;

/** The component schemas no operation's body or response refers to by itself. */
async function extraSchemas(
  schemas: v.GenericSchema[],
): Promise<NonNullable<Components["schemas"]>> {
  const out: NonNullable<Components["schemas"]> = {};
  for (const schema of schemas) {
    const { components } = await resolver(schema).toOpenAPISchema();
    Object.assign(out, components?.schemas);
  }
  return out;
}

/** Generates the document of every described route of `served` and {@linkcode describedElsewhere}. */
export async function buildOpenApiDocument(served: Hono<AppEnv>): Promise<OpenApiDocument> {
  const all = new Hono().route("/", served).route("/", describedElsewhere());
  const spec = await generateSpecs(all, {
    documentation: {
      info: INFO,
      servers: [{ url: "/" }],
      // Public unless an operation says otherwise (`/users/me`, the socket join).
      security: [],
      tags: [
        { name: "users", description: "Sign-up, login and users" },
        { name: "rooms", description: "History, room info, presence and the socket join" },
        { name: "moderation", description: "Bans and mutes of rooms" },
        {
          name: "admin",
          description: "Server admins (ADMIN_USERNAMES) and the server API (X-API-Key)",
        },
        { name: "operations", description: "Health and metrics" },
        { name: "meta", description: "This document" },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        },
        schemas: await extraSchemas([ErrorEnvelope, ClientFrame]),
      },
    },
    excludeStaticFile: false,
    defaultValidationErrorResponse: false,
  });
  // Plain JSON: no `undefined` members, nothing shared with the route descriptions.
  return JSON.parse(JSON.stringify(spec)) as OpenApiDocument;
}

/**
 * The routes serving the document of `served()` (the whole app, read on the
 * first request): `raw` serves `GET /openapi.json` (mount it at `/`), `api`
 * serves it in the envelope (mount it at `/api/v1`).
 */
export function openApiRoutes(
  served: () => Hono<AppEnv>,
): { raw: Hono<AppEnv>; api: Hono<AppEnv> } {
  let built: Promise<{ document: OpenApiDocument; text: string }> | undefined;
  const load = () =>
    built ??= buildOpenApiDocument(served()).then(
      (document) => ({ document, text: JSON.stringify(document) }),
      (error) => {
        built = undefined;
        throw error;
      },
    );
  const raw = new Hono<AppEnv>()
    .get("/openapi.json", describeRoute(OPENAPI_RAW), async () => {
      const headers = {
        "content-type": "application/json; charset=utf-8",
        // A public description: documentation tools on other origins may load it.
        "access-control-allow-origin": "*",
      };
      return new Response((await load()).text, { headers });
    })
    .all("/openapi.json", methodNotAllowed("GET"));
  const api = new Hono<AppEnv>()
    .get("/openapi.json", describeRoute(OPENAPI_ENVELOPED), async () => {
      return dataResponse((await load()).document);
    })
    .all("/openapi.json", methodNotAllowed("GET"));
  return { raw, api };
}
