/**
 * The schemas of the admin routes and the server API under `/api/v1/admin/`
 * (CONTRACT §7): server bans and the audit log (a server admin's bearer token
 * or the `X-API-Key`), and the routes of the server API proper (the key only;
 * not served while `ADMIN_API_KEY` is unset): publishing as a named bot,
 * deleting a message, disconnecting a user, listing rooms.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { MAX_USERNAME_CHARS } from "../../contract/mod.js";
import { wholeNumber } from "../query.ts";
import { DeletedMessage, SEQ_PARAM } from "./message_deletes.ts";
import { Removed, Restriction, Room } from "./moderation.ts";
import { failure, idParam, ok, STORE_FAILURES, TOO_LARGE } from "./responses.ts";
import { Message, ROOM_PARAM } from "./rooms.ts";
import { User } from "./users.ts";

/** The most entries of one audit or room page. */
export const MAX_ADMIN_PAGE = 100;
/** The page size when `limit` is absent. */
export const DEFAULT_ADMIN_PAGE = 50;

/** `?before=&limit=` of the audit log. */
export const AuditQuery = v.object({
  before: v.optional(
    v.pipe(
      wholeNumber(1, Number.MAX_SAFE_INTEGER),
      v.description("Only entries with an id below this (the latest when absent)"),
    ),
  ),
  limit: v.optional(
    v.pipe(
      wholeNumber(1, MAX_ADMIN_PAGE),
      v.description(`How many entries; ${DEFAULT_ADMIN_PAGE} when absent`),
    ),
  ),
});

/** `?cursor=&limit=` of the server API's room list. */
export const AdminRoomsQuery = v.object({
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, "the next of an earlier page"),
      v.maxLength(512, "the next of an earlier page"),
      v.description("The `next` of the previous page"),
    ),
  ),
  limit: v.optional(
    v.pipe(
      wholeNumber(1, MAX_ADMIN_PAGE),
      v.description(`How many rooms; ${DEFAULT_ADMIN_PAGE} when absent`),
    ),
  ),
});

/** `POST /admin/rooms/{room}/messages`: who the bot is, and what it says. */
export const BotMessageBody = v.object({
  bot: v.pipe(
    v.string(),
    v.description(
      `The bot's username (1–${MAX_USERNAME_CHARS} characters): its account is made on first ` +
        "use, and no person can log in as it",
    ),
  ),
  text: v.pipe(v.string(), v.description("As a socket message's text")),
});

/** `POST /admin/users/{id}/disconnect`: in one room, or everywhere. */
export const DisconnectBody = v.object({
  room: v.optional(v.pipe(v.string(), v.description("Only this room's sockets"))),
});

/** One audit entry. */
export const AuditEntry = v.pipe(
  v.strictObject({
    id: v.pipe(v.number(), v.integer(), v.minValue(1)),
    actor: v.pipe(v.nullable(User), v.description("null for the server API")),
    action: v.pipe(v.string(), v.description("room.ban, member.remove, user.ban, …")),
    targetUserId: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
    room: v.nullable(v.string()),
    detail: v.pipe(v.nullable(v.string()), v.description("JSON: the reason, expiry, role…")),
    at: v.pipe(v.string(), v.isoTimestamp()),
  }),
  v.metadata({ ref: "AuditEntry" }),
);

/** A page of the audit log, newest first. */
export const AuditPage = v.strictObject({
  entries: v.array(AuditEntry),
  next: v.pipe(
    v.nullable(v.pipe(v.number(), v.integer())),
    v.description("The `before` of the next page; null on the last"),
  ),
});

/** A page of every room, private ones included. */
export const AdminRoomPage = v.strictObject({
  rooms: v.array(Room),
  next: v.pipe(v.nullable(v.string()), v.description("The cursor of the next page")),
});

/** What a disconnect did. */
export const Disconnected = v.strictObject({
  userId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  room: v.nullable(v.string()),
});

const ID_PARAM = idParam("id");
const ADMIN_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKey: [] }];
const KEY_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }];
const ADMIN_AUTH = failure("No valid token, or a wrong X-API-Key", [
  "INVALID_AUTH_TOKEN",
  "INVALID_API_KEY",
]);
const KEY_AUTH = failure("The X-API-Key is missing or wrong", ["INVALID_API_KEY"]);
const NOT_ADMIN = failure("The caller is not a server admin, or the target is one", [
  "FORBIDDEN",
]);
const COMMON = STORE_FAILURES;

/** `PUT /admin/users/{id}/ban`. */
export const BAN_USER: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "Ban a user from the server",
  description: "Its logins answer 403 USER_BANNED, its tokens stop working, its sockets close " +
    "with 4003 BANNED on every node. An X-API-Key while ADMIN_API_KEY is unset gets 404.",
  security: ADMIN_SECURITY,
  parameters: [ID_PARAM],
  responses: {
    "200": ok("The server ban", Restriction),
    "400": failure("Bad user id or body", ["BAD_QUERY", "BAD_BINDING"]),
    "401": ADMIN_AUTH,
    "403": NOT_ADMIN,
    "404": failure("No such user, or the server API is off", ["USER_NOT_FOUND", "NOT_FOUND"]),
    "413": TOO_LARGE,
    ...COMMON,
  },
};

/** `DELETE /admin/users/{id}/ban`. */
export const UNBAN_USER: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "Lift a server ban (tokens it revoked stay revoked)",
  security: ADMIN_SECURITY,
  parameters: [ID_PARAM],
  responses: {
    "200": ok("Whether there was one", Removed),
    "400": failure("Bad user id", ["BAD_QUERY"]),
    "401": ADMIN_AUTH,
    "403": NOT_ADMIN,
    "404": failure("No such user, or the server API is off", ["USER_NOT_FOUND", "NOT_FOUND"]),
    ...COMMON,
  },
};

/** `GET /admin/audit`. */
export const AUDIT: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "The audit log of moderation actions, newest first (admins only)",
  security: ADMIN_SECURITY,
  responses: {
    "200": ok("A page of entries", AuditPage),
    "400": failure("A bad query value", ["BAD_QUERY"]),
    "401": ADMIN_AUTH,
    "403": NOT_ADMIN,
    "404": failure("An X-API-Key while the server API is off", ["NOT_FOUND"]),
    ...COMMON,
  },
};

/** `POST /admin/rooms/{room}/messages`. */
export const BOT_POST: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "Server API: post into a room as a named bot",
  security: KEY_SECURITY,
  parameters: [ROOM_PARAM],
  responses: {
    "201": ok("The message, as members receive it", Message),
    "400": failure("Bad room name, body, bot name or text", [
      "BAD_ROOM_NAME",
      "BAD_BINDING",
      "BAD_USERNAME",
      "BAD_TEXT",
    ]),
    "401": KEY_AUTH,
    "409": failure("A user who is not a bot has that name", ["USER_EXISTS"]),
    "413": TOO_LARGE,
    ...COMMON,
  },
};

/** `DELETE /admin/rooms/{room}/messages/{seq}`. */
export const BOT_DELETE: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "Server API: delete a message (by the bot named in ?bot=, default server)",
  security: KEY_SECURITY,
  parameters: [ROOM_PARAM, SEQ_PARAM],
  responses: {
    "200": ok("The delete event members receive", DeletedMessage),
    "400": failure("Bad room name, seq or bot name", [
      "BAD_ROOM_NAME",
      "BAD_QUERY",
      "BAD_USERNAME",
    ]),
    "401": KEY_AUTH,
    "404": failure("No message of the room has that seq", ["MESSAGE_NOT_FOUND"]),
    "409": failure("A user who is not a bot has that name", ["USER_EXISTS"]),
    ...COMMON,
  },
};

/** `?bot=` of the server API's delete. */
export const BotQuery = v.object({
  bot: v.optional(v.pipe(v.string(), v.description("Who the delete event names; `server`"))),
});

/** `POST /admin/users/{id}/disconnect`. */
export const DISCONNECT: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "Server API: close a user's sockets (4001 KICKED), on every node",
  security: KEY_SECURITY,
  parameters: [ID_PARAM],
  responses: {
    "200": ok("Done", Disconnected),
    "400": failure("Bad user id, body or room name", [
      "BAD_QUERY",
      "BAD_BINDING",
      "BAD_ROOM_NAME",
    ]),
    "401": KEY_AUTH,
    "404": failure("No such user", ["USER_NOT_FOUND"]),
    "413": TOO_LARGE,
    ...COMMON,
  },
};

/** `GET /admin/rooms`. */
export const ADMIN_ROOMS: DescribeRouteOptions = {
  tags: ["admin"],
  summary: "Server API: every room, private and direct ones included, in no set order",
  security: KEY_SECURITY,
  responses: {
    "200": ok("A page of rooms", AdminRoomPage),
    "400": failure("A bad cursor or limit", ["BAD_QUERY"]),
    "401": KEY_AUTH,
    ...COMMON,
  },
};
