/**
 * The schemas of the read-state routes: `GET /users/me/rooms` (the caller's
 * rooms with their unread counts) and `PUT /rooms/{room}/read`.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { UNREAD_CAP } from "../../contract/mod.js";
import { failure, INTERNAL, ok, STORE_DOWN, TOO_LARGE } from "./responses.ts";
import { ROOM_PARAM } from "./rooms.ts";

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** `{"seq": n}`: read up to this `seq`. */
export const ReadBody = v.object({
  seq: v.pipe(
    v.number("a whole number"),
    v.integer("a whole number"),
    v.minValue(0, "a whole number from 0"),
    v.maxValue(Number.MAX_SAFE_INTEGER, "a safe integer"),
    v.description("Read up to this seq; clamped to the room's last seq, and never moved back"),
  ),
});

/** What `PUT /rooms/{room}/read` answers. */
export const ReadResult = v.pipe(
  v.strictObject({
    room: v.string(),
    lastRead: v.pipe(count, v.description("The lastRead now stored")),
  }),
  v.metadata({ ref: "ReadResult" }),
);

/** One of the caller's rooms. */
export const UserRoom = v.pipe(
  v.strictObject({
    name: v.string(),
    title: v.nullable(v.string()),
    visibility: v.picklist(["public", "private"]),
    direct: v.pipe(v.boolean(), v.description("The direct-message room of two users")),
    role: v.pipe(
      v.nullable(v.picklist(["owner", "moderator", "member"])),
      v.description("null when the caller only posted there"),
    ),
    lastSeq: count,
    lastMessageAt: v.pipe(
      v.nullable(v.pipe(v.string(), v.isoTimestamp())),
      v.description("When its latest message was posted; null before the first"),
    ),
    lastRead: count,
    unread: v.pipe(
      count,
      v.maxValue(UNREAD_CAP),
      v.description(`Messages after lastRead, counted up to ${UNREAD_CAP} (show it as "99+")`),
    ),
  }),
  v.metadata({ ref: "UserRoom" }),
);

/** The caller's rooms, most recently active first. */
export const UserRooms = v.pipe(
  v.strictObject({ rooms: v.array(UserRoom) }),
  v.metadata({ ref: "UserRooms" }),
);

const NO_TOKEN = failure("No token, or a token that is not valid", ["INVALID_AUTH_TOKEN"]);

/** `GET /users/me/rooms`. */
export const MY_ROOMS: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "The caller's rooms (memberships and rooms it posted in) with lastRead and unread",
  description:
    "A private room appears only while the caller is a member (or a server admin), even if " +
    "it posted there.",
  security: [{ bearerAuth: [] }],
  responses: {
    "200": ok("The caller's rooms, most recently active first", UserRooms),
    "401": NO_TOKEN,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};

/** `PUT /rooms/{room}/read`. */
export const MARK_READ: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Move the caller's lastRead in a room; its sockets in the room get a read event",
  security: [{ bearerAuth: [] }],
  parameters: [ROOM_PARAM],
  responses: {
    "200": ok("The lastRead now stored", ReadResult),
    "400": failure("Bad room name or body", ["BAD_ROOM_NAME", "BAD_BINDING"]),
    "401": NO_TOKEN,
    "403": failure(
      "The room is private and the caller is not a member, or the caller is banned from it",
      ["NOT_A_MEMBER", "BANNED", "USER_BANNED"],
    ),
    "413": TOO_LARGE,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};
