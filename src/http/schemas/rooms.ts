/**
 * The schemas of the room REST routes: the history query, the message, page,
 * room and presence shapes, and each operation's description.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { MAX_HISTORY_PAGE, MAX_ROOM_NAME_CHARS } from "../../contract/mod.js";
import { wholeNumber } from "../query.ts";
import { failure, INTERNAL, ok, STORE_DOWN } from "./responses.ts";
import { User } from "./users.ts";

/** The largest history page. */
export const MAX_PAGE = MAX_HISTORY_PAGE;
/** The history page size when `limit` is absent. */
export const DEFAULT_PAGE = 50;

/** The `room` path parameter, checked by `parseRoomName` (`BAD_ROOM_NAME`). */
export const ROOM_PARAM: NonNullable<DescribeRouteOptions["parameters"]>[number] = {
  name: "room",
  in: "path",
  required: true,
  description:
    `1–${MAX_ROOM_NAME_CHARS} characters, no white space, control characters or "/"; case-sensitive`,
  schema: { type: "string", minLength: 1, maxLength: MAX_ROOM_NAME_CHARS },
};

/** `?before=&limit=` of a history page. */
export const HistoryQuery = v.object({
  before: v.optional(
    v.pipe(
      wholeNumber(1, Number.MAX_SAFE_INTEGER),
      v.description("Only messages with a seq below this (the latest page when absent)"),
    ),
  ),
  limit: v.optional(
    v.pipe(
      wholeNumber(1, MAX_PAGE),
      v.description(`How many messages; ${DEFAULT_PAGE} when absent`),
    ),
  ),
});

/** One chat message, as the socket sends it and history pages hold it. */
export const Message = v.pipe(
  v.strictObject({
    id: v.string(),
    seq: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description("The room's gapless counter"),
    ),
    room: v.string(),
    sender: User,
    text: v.string(),
    createTime: v.pipe(v.number(), v.integer(), v.description("Unix seconds")),
    createdAt: v.pipe(v.string(), v.isoTimestamp(), v.description("With milliseconds")),
    nonce: v.optional(v.pipe(v.string(), v.description("The sender's nonce, when it sent one"))),
  }),
  v.metadata({ ref: "Message" }),
);

/** A page of history, oldest first. */
export const MessagePage = v.pipe(
  v.strictObject({ messages: v.array(Message), hasMore: v.boolean() }),
  v.metadata({ ref: "MessagePage" }),
);

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A room's last seq and how many are online. */
export const RoomInfo = v.pipe(
  v.strictObject({
    name: v.string(),
    lastSeq: count,
    online: v.strictObject({ users: count, anonymous: count }),
  }),
  v.metadata({ ref: "RoomInfo" }),
);

/** Who is connected to a room. */
export const RoomUsers = v.pipe(
  v.strictObject({
    users: v.array(User),
    anonymous: count,
  }),
  v.metadata({ ref: "RoomUsers" }),
);

/**
 * The refusals of a room's REST reads: a private room's non-member, or a
 * caller whose valid token shows it banned from the room or the server.
 */
const REFUSED_READ = failure(
  "The room is private and the caller is not a member, or the caller is banned from the room " +
    "(or the server)",
  ["NOT_A_MEMBER", "BANNED", "USER_BANNED"],
);

const BAD_ROOM = failure("The room name or a query value is not valid", [
  "BAD_ROOM_NAME",
  "BAD_QUERY",
]);

/** `GET /rooms/{room}/messages`. */
export const HISTORY: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "A page of a room's history, oldest first",
  parameters: [ROOM_PARAM],
  responses: {
    "200": {
      ...ok("The page", MessagePage),
      headers: {
        "X-Oldest-Kept-Seq": {
          description: "On a page that reaches the start of what is kept (`hasMore` false) in a " +
            "room whose older messages retention deleted: the oldest seq kept",
          schema: { type: "integer", minimum: 2 },
        },
      },
    },
    "400": BAD_ROOM,
    "401": failure("The room is private and the token is missing or not valid", [
      "INVALID_AUTH_TOKEN",
    ]),
    "403": REFUSED_READ,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};

/** `GET /rooms/{room}`. */
export const ROOM_INFO: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "A room's last seq and who is online",
  parameters: [ROOM_PARAM],
  responses: {
    "200": ok("The room", RoomInfo),
    "400": failure("The room name is not valid", ["BAD_ROOM_NAME"]),
    "401": failure("The room is private and the token is missing or not valid", [
      "INVALID_AUTH_TOKEN",
    ]),
    "403": REFUSED_READ,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};

/** `GET /rooms/{room}/users`. */
export const ROOM_USERS: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Who is connected to a room now, across every isolate and process",
  parameters: [ROOM_PARAM],
  responses: {
    "200": ok("The room's connected users", RoomUsers),
    "400": failure("The room name is not valid", ["BAD_ROOM_NAME"]),
    "401": failure("The room is private and the token is missing or not valid", [
      "INVALID_AUTH_TOKEN",
    ]),
    "403": REFUSED_READ,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};
