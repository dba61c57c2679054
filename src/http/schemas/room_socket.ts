/**
 * The description of the WebSocket join (`/rooms/{room}/messages/ws` and
 * `/rooms/{room}/ws`): its query, headers, answers before the upgrade, the
 * frames each side sends and the close codes.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import {
  CLOSE,
  HISTORY_ON_JOIN,
  MAX_FRAME_BYTES,
  MAX_NONCE_CHARS,
  MAX_RESUME,
  MAX_TEXT_CHARS,
} from "../../contract/mod.js";
import { flag, wholeNumber } from "../query.ts";
import { failure, INTERNAL, RETRY_AFTER } from "./responses.ts";
import { ROOM_PARAM } from "./rooms.ts";

/** `?since=&batch=` of a join. */
export const SocketQuery = v.object({
  since: v.optional(
    v.pipe(
      wholeNumber(0, Number.MAX_SAFE_INTEGER),
      v.description("Resume after this seq instead of receiving the latest history"),
    ),
  ),
  batch: v.optional(
    v.pipe(flag(), v.description("1: frames may hold several messages (history as one array)")),
  ),
  v: v.optional(
    v.pipe(
      wholeNumber(1, 2),
      v.description("2: protocol v2 (frames of events, CONTRACT §6); 1 or absent: v1"),
    ),
  ),
});

/** What a signed-in client sends in a text frame. */
export const ClientFrame = v.pipe(
  v.object({
    text: v.pipe(
      v.string(),
      v.description(
        `Trimmed-non-empty, at most ${MAX_TEXT_CHARS} characters (Unicode code points)`,
      ),
    ),
    nonce: v.optional(
      v.pipe(
        v.string(),
        v.regex(new RegExp(`^[\\x20-\\x7e]{1,${MAX_NONCE_CHARS}}$`)),
        v.description("Echoed in the delivered message"),
      ),
    ),
  }),
  v.metadata({ ref: "ClientFrame" }),
);

/** The WebSocket join operation, shared by both of its paths. */
export function socketOperation(summary: string): DescribeRouteOptions {
  const operation: DescribeRouteOptions & Record<`x-${string}`, unknown> = {
    tags: ["rooms"],
    summary,
    // A token is optional: without one the socket is read-only.
    security: [{}, { bearerAuth: [] }],
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
      ROOM_PARAM,
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
      "401": failure(
        "The token is present but not valid, expired or revoked; or absent for a private room",
        ["INVALID_AUTH_TOKEN"],
      ),
      "403": failure(
        "The Origin is not allowed; the room is private and the caller not a member; banned",
        ["FORBIDDEN_ORIGIN", "NOT_A_MEMBER", "BANNED", "USER_BANNED"],
      ),
      "426": failure("The request is not a WebSocket upgrade", ["UPGRADE_REQUIRED"]),
      "429": failure("Too many sockets from this address", ["RATE_LIMITED"], RETRY_AFTER),
      "500": INTERNAL,
      "503": failure("The server is shutting down", ["SHUTTING_DOWN"], RETRY_AFTER),
    },
    "x-client-frame": { $ref: "#/components/schemas/ClientFrame" },
    "x-server-frame": { type: "array", items: { $ref: "#/components/schemas/Message" } },
    "x-close-codes": Object.values(CLOSE).map(({ code, reason }) => ({ code, reason })),
  };
  return operation;
}
