/**
 * The OpenAPI 3.1 description of every route, and the route that serves it at
 * `GET /api/v1/openapi.json`. Like every response under `/api/`, it is served
 * in the envelope: the document is `data`.
 *
 * Limits are read from the modules that enforce them, so the document cannot
 * drift from the code; `tests/http/openapi_test.ts` holds its paths against
 * the real routes.
 *
 * @module
 */
import { Hono } from "hono";
import { MAX_SECRET_BYTES, MAX_USERNAME_CHARS } from "../auth/username.ts";
import { CLOSE } from "../realtime/close_codes.ts";
import { HISTORY_ON_JOIN, MAX_RESUME } from "../realtime/hub.ts";
import { MAX_FRAME_BYTES, MAX_TEXT_CHARS } from "../realtime/protocol.ts";
import { MAX_ROOM_NAME_CHARS } from "../realtime/room_name.ts";
import { dataResponse } from "./envelope.ts";
import type { AppEnv } from "./env.ts";
import { methodNotAllowed } from "./method_not_allowed.ts";
import { MAX_BODY_BYTES } from "./read_json_body.ts";
import { DEFAULT_PAGE, MAX_PAGE } from "./routes/rooms.ts";

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

const JSON_TYPE = "application/json";
const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

/** The success envelope around `data`. */
function envelope(data: JsonObject): JsonObject {
  return {
    type: "object",
    required: ["error", "data"],
    additionalProperties: false,
    properties: { error: { type: "null" }, data },
  };
}

function ok(description: string, data: JsonObject): JsonObject {
  return { description, content: { [JSON_TYPE]: { schema: envelope(data) } } };
}

/** An error response whose `error.type` is one of `types`. */
function failure(description: string, types: string[], headers?: JsonObject): JsonObject {
  const schema: JsonObject = {
    allOf: [
      ref("ErrorEnvelope"),
      { properties: { error: { properties: { type: { enum: types } } } } },
    ],
  };
  const response: JsonObject = { description, content: { [JSON_TYPE]: { schema } } };
  if (headers) response.headers = headers;
  return response;
}

const INTERNAL = failure("The server failed; the detail is only in its log", ["INTERNAL_ERROR"]);
const RETRY_AFTER: JsonObject = {
  "Retry-After": { description: "Whole seconds to wait", schema: { type: "integer", minimum: 1 } },
};

const roomParam: JsonObject = {
  name: "room",
  in: "path",
  required: true,
  description:
    `1–${MAX_ROOM_NAME_CHARS} characters, no white space, control characters or "/"; case-sensitive`,
  schema: { type: "string", minLength: 1, maxLength: MAX_ROOM_NAME_CHARS },
};
const BAD_ROOM = failure("The room name or a query value is not valid", [
  "BAD_ROOM_NAME",
  "BAD_QUERY",
]);

const credentialsBody: JsonObject = {
  required: true,
  description: `A JSON object of at most ${MAX_BODY_BYTES} bytes`,
  content: { [JSON_TYPE]: { schema: ref("Credentials") } },
};
const BAD_BODY = ["BAD_BINDING"];
const TOO_LARGE = failure(`The body is larger than ${MAX_BODY_BYTES} bytes`, [
  "PAYLOAD_TOO_LARGE",
]);

/** The WebSocket join operation, shared by both of its paths. */
function socketOperation(summary: string): JsonObject {
  const closeCodes: JsonObject[] = Object.values(CLOSE).map((close) => ({
    code: close.code,
    reason: close.reason,
  }));
  return {
    tags: ["rooms"],
    summary,
    description: [
      "Upgrades to a WebSocket. The first value of `Sec-WebSocket-Protocol` (a comma-separated",
      "list) is the JWT and the 101 selects exactly it; `Authorization: Bearer` also works.",
      "No token joins read-only. Right after the upgrade the room's latest",
      `${HISTORY_ON_JOIN} messages arrive, oldest first, or with \`since\` every message after`,
      `that seq (at most ${MAX_RESUME}), then the live stream with no gap or duplicate.`,
      "The server sends text frames holding a JSON array of `Message`, one message per frame",
      `unless \`batch=1\`. A client sends text frames holding \`ClientFrame\` (at most`,
      `${MAX_FRAME_BYTES} bytes). Close codes are listed in \`x-close-codes\`.`,
    ].join(" "),
    parameters: [
      roomParam,
      {
        name: "since",
        in: "query",
        required: false,
        description: "Resume after this seq instead of receiving the latest history",
        schema: { type: "integer", minimum: 0 },
      },
      {
        name: "batch",
        in: "query",
        required: false,
        description: "1: frames may hold several messages (history arrives as one array)",
        schema: { type: "string", enum: ["1", "0", "true", "false"] },
      },
      {
        name: "Sec-WebSocket-Protocol",
        in: "header",
        required: false,
        description: "The JWT first, then any other subprotocols",
        schema: { type: "string" },
      },
      {
        name: "Authorization",
        in: "header",
        required: false,
        description: "`Bearer <jwt>`, for clients that cannot set subprotocols freely",
        schema: { type: "string" },
      },
    ],
    responses: {
      "101": {
        description: "Switching Protocols; the socket speaks the frames described above",
        headers: {
          "Sec-WebSocket-Protocol": {
            description: "Exactly the first offered value",
            schema: { type: "string" },
          },
        },
      },
      "400": failure("Bad room name, query value or handshake", [
        "BAD_ROOM_NAME",
        "BAD_QUERY",
        "BAD_HANDSHAKE",
      ]),
      "401": failure("The token is present but not valid or expired", ["INVALID_AUTH_TOKEN"]),
      "403": failure("The Origin is not allowed", ["FORBIDDEN_ORIGIN"]),
      "426": failure("The request is not a WebSocket upgrade", ["UPGRADE_REQUIRED"]),
      "429": failure("Too many sockets from this address", ["RATE_LIMITED"], RETRY_AFTER),
      "500": INTERNAL,
      "503": failure("The server is shutting down", ["SHUTTING_DOWN"], RETRY_AFTER),
    },
    "x-client-frame": ref("ClientFrame"),
    "x-server-frame": { type: "array", items: ref("Message") },
    "x-close-codes": closeCodes,
  };
}

/** The OpenAPI document of this server. */
export const openApiDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Chat server API",
    version: "1.0.0",
    description: [
      "Every response under /api/ that has a body is `{error, data}`: `error` is null on 2xx,",
      "`data` is null on 4xx/5xx. An unknown path gets 404 NOT_FOUND; a known path with another",
      "method gets 405 METHOD_NOT_ALLOWED with an `Allow` header.",
    ].join(" "),
  },
  servers: [{ url: "/" }],
  paths: {
    "/healthz": {
      get: {
        tags: ["operations"],
        summary: "Whether the store answers",
        responses: {
          "200": ok("The store answers", {
            type: "object",
            required: ["status"],
            properties: { status: { const: "ok" } },
          }),
          "503": failure("The store does not answer", ["STORE_UNAVAILABLE"]),
          "500": INTERNAL,
        },
      },
    },
    "/metrics": {
      get: {
        tags: ["operations"],
        summary: "Prometheus metrics: connections, rooms, messages, close codes, HTTP requests",
        responses: {
          "200": {
            description: "Prometheus text exposition format",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        tags: ["meta"],
        summary: "This document",
        responses: {
          "200": ok("The OpenAPI document, as `data`", { type: "object" }),
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/users": {
      post: {
        tags: ["users"],
        summary: "Create a user",
        description:
          "Usernames are unique without regard to case and Unicode form (NFKC, case-folded) and are stored as typed (NFC). A client-sent `id` is ignored.",
        requestBody: credentialsBody,
        responses: {
          "201": ok("Created", ref("User")),
          "400": failure("Bad body, username or secret", [
            ...BAD_BODY,
            "BAD_USERNAME",
            "BAD_PASSWORD",
          ]),
          "409": failure("The username is taken", ["USER_EXISTS"]),
          "413": TOO_LARGE,
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/login": {
      post: {
        tags: ["users"],
        summary: "Log in and get a JWT",
        requestBody: credentialsBody,
        responses: {
          "200": ok("Logged in", ref("LoginResult")),
          "400": failure("Bad body, or no such user", [...BAD_BODY, "USER_NOT_FOUND"]),
          "401": failure("The secret does not match", ["PASSWORD_MATCH_FAILED"]),
          "413": TOO_LARGE,
          "429": failure("Too many attempts", ["RATE_LIMITED"], RETRY_AFTER),
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/users/me": {
      get: {
        tags: ["users"],
        summary: "The caller",
        security: [{ bearerAuth: [] }],
        responses: {
          "200": ok("The token's user", ref("User")),
          "401": failure("No token, or a token that is not valid", ["INVALID_AUTH_TOKEN"]),
          "404": failure("The token's user no longer exists", ["USER_NOT_FOUND"]),
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/users/{id}": {
      get: {
        tags: ["users"],
        summary: "A user by id",
        parameters: [{
          name: "id",
          in: "path",
          required: true,
          schema: { type: "integer", minimum: 1 },
        }],
        responses: {
          "200": ok("The user", ref("User")),
          "400": failure("The id is not a positive integer", ["BAD_QUERY"]),
          "404": failure("No such user", ["USER_NOT_FOUND"]),
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/rooms/{room}": {
      get: {
        tags: ["rooms"],
        summary: "A room's last seq and who is online",
        parameters: [roomParam],
        responses: {
          "200": ok("The room", ref("RoomInfo")),
          "400": BAD_ROOM,
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/rooms/{room}/messages": {
      get: {
        tags: ["rooms"],
        summary: "A page of a room's history, oldest first",
        parameters: [
          roomParam,
          {
            name: "before",
            in: "query",
            required: false,
            description: "Only messages with a seq below this (the latest page when absent)",
            schema: { type: "integer", minimum: 1 },
          },
          {
            name: "limit",
            in: "query",
            required: false,
            schema: { type: "integer", minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
          },
        ],
        responses: {
          "200": ok("The page", ref("MessagePage")),
          "400": BAD_ROOM,
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/rooms/{room}/users": {
      get: {
        tags: ["rooms"],
        summary: "Who is connected to a room now, across every isolate and process",
        parameters: [roomParam],
        responses: {
          "200": ok("The room's connected users", ref("RoomUsers")),
          "400": BAD_ROOM,
          "500": INTERNAL,
        },
      },
    },
    "/api/v1/rooms/{room}/messages/ws": {
      get: socketOperation("Join a room over a WebSocket"),
    },
    "/api/v1/rooms/{room}/ws": {
      get: socketOperation("Join a room over a WebSocket (the same as /messages/ws)"),
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    },
    schemas: {
      ErrorEnvelope: {
        type: "object",
        required: ["error", "data"],
        additionalProperties: false,
        properties: {
          error: {
            type: "object",
            required: ["type", "message"],
            additionalProperties: false,
            properties: {
              type: { type: "string", description: "A code word such as BAD_BINDING" },
              message: { type: "string", description: "Short, human, safe to show" },
            },
          },
          data: { type: "null" },
        },
      },
      Credentials: {
        type: "object",
        required: ["username", "secret"],
        properties: {
          username: {
            type: "string",
            minLength: 1,
            maxLength: MAX_USERNAME_CHARS,
            description:
              "No control characters, no leading or trailing white space; length in code points",
          },
          secret: {
            type: "string",
            minLength: 1,
            description: `At most ${MAX_SECRET_BYTES} bytes in UTF-8`,
          },
        },
      },
      User: {
        type: "object",
        required: ["id", "username"],
        additionalProperties: false,
        properties: { id: { type: "integer", minimum: 1 }, username: { type: "string" } },
      },
      LoginResult: {
        type: "object",
        required: ["token", "user"],
        additionalProperties: false,
        properties: {
          token: {
            type: "string",
            description: "An HS256 JWT with the claims sub, name, iat, exp and iss",
          },
          user: ref("User"),
        },
      },
      Message: {
        type: "object",
        required: ["id", "seq", "room", "sender", "text", "createTime", "createdAt"],
        additionalProperties: false,
        properties: {
          id: { type: "string" },
          seq: { type: "integer", minimum: 1, description: "The room's gapless counter" },
          room: { type: "string" },
          sender: ref("User"),
          text: { type: "string" },
          createTime: { type: "integer", description: "Unix seconds" },
          createdAt: { type: "string", format: "date-time", description: "With milliseconds" },
          nonce: { type: "string", description: "The sender's nonce, when it sent one" },
        },
      },
      ClientFrame: {
        type: "object",
        required: ["text"],
        properties: {
          text: {
            type: "string",
            description:
              `Trimmed-non-empty, at most ${MAX_TEXT_CHARS} characters (Unicode code points)`,
          },
          nonce: {
            type: "string",
            pattern: "^[\\x20-\\x7e]{1,64}$",
            description: "Echoed in the delivered message",
          },
        },
      },
      MessagePage: {
        type: "object",
        required: ["messages", "hasMore"],
        additionalProperties: false,
        properties: {
          messages: { type: "array", items: ref("Message") },
          hasMore: { type: "boolean" },
        },
      },
      RoomInfo: {
        type: "object",
        required: ["name", "lastSeq", "online"],
        additionalProperties: false,
        properties: {
          name: { type: "string" },
          lastSeq: { type: "integer", minimum: 0 },
          online: {
            type: "object",
            required: ["users", "anonymous"],
            additionalProperties: false,
            properties: {
              users: { type: "integer", minimum: 0 },
              anonymous: { type: "integer", minimum: 0 },
            },
          },
        },
      },
      RoomUsers: {
        type: "object",
        required: ["users", "anonymous"],
        additionalProperties: false,
        properties: {
          users: { type: "array", items: ref("User") },
          anonymous: { type: "integer", minimum: 0 },
        },
      },
    },
  },
};

/** `GET /openapi.json` (mounted under `/api/v1`), serving {@linkcode openApiDocument}. */
export function openApiRoutes(): Hono<AppEnv> {
  const body = openApiDocument;
  return new Hono<AppEnv>()
    .get("/openapi.json", () => dataResponse(body))
    .all("/openapi.json", methodNotAllowed("GET"));
}
