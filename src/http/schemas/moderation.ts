/**
 * The schemas of the rooms, memberships and moderation routes (CONTRACT §7):
 * request bodies, the wire shapes of rooms, memberships and restrictions, and
 * each operation's description.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { MAX_ROOM_NAME_CHARS } from "../../contract/mod.js";
import { failure, idParam, ok, STORE_FAILURES, TOO_LARGE } from "./responses.ts";
import { ROOM_PARAM } from "./rooms.ts";
import { User } from "./users.ts";

/** The longest room title, in characters. */
export const MAX_TITLE_CHARS = 100;
/** The longest ban or mute reason, in characters. */
export const MAX_REASON_CHARS = 500;

const noControl = (text: string) => !/\p{Cc}/u.test(text);

/** `POST /rooms`: the room's name, visibility and optional title. */
export const NewRoomBody = v.object({
  name: v.pipe(
    v.string(),
    v.description(
      `1–${MAX_ROOM_NAME_CHARS} characters, no white space, control characters or "/"; ` +
        "not of the form dm:<id>:<id>",
    ),
  ),
  visibility: v.picklist(["public", "private"], '"public" or "private"'),
  title: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (t) => t.trim().length > 0 && [...t].length <= MAX_TITLE_CHARS && noControl(t),
        `a text of 1 to ${MAX_TITLE_CHARS} characters without control characters`,
      ),
    ),
  ),
});

/** `PUT /rooms/{room}/members/{userId}`: the role, `member` when absent. */
export const MemberBody = v.object({
  role: v.optional(v.picklist(["member", "moderator"], '"member" or "moderator"'), "member"),
});

/** `POST /dms`: the other user. */
export const DirectBody = v.object({
  userId: v.pipe(
    v.number("a user id"),
    v.integer("a user id"),
    v.minValue(1, "a user id"),
    v.maxValue(Number.MAX_SAFE_INTEGER, "a user id"),
  ),
});

/**
 * Whether `raw` is an ISO 8601 time of a day the calendar has: `Date.parse`
 * alone reads `2027-02-30` as 2 March.
 */
function isIsoTime(raw: string): boolean {
  const date = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}/.exec(raw);
  if (!date || !Number.isFinite(Date.parse(raw))) return false;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const day0 = new Date(Date.UTC(year, month - 1, day));
  return day0.getUTCMonth() === month - 1 && day0.getUTCDate() === day;
}

/** An ISO 8601 time such as `2026-01-31T12:00:00Z`, turned into milliseconds. */
const isoTime = v.pipe(
  v.string(),
  v.check(isIsoTime, "an ISO 8601 time such as 2026-01-31T12:00:00Z"),
  v.transform((raw) => Date.parse(raw)),
);

/** A ban or mute: until when (for good without it) and why. */
export const RestrictionBody = v.object({
  until: v.optional(v.pipe(isoTime, v.description("When it lapses; for good when absent"))),
  reason: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (r) => [...r].length <= MAX_REASON_CHARS && noControl(r),
        `a text of at most ${MAX_REASON_CHARS} characters without control characters`,
      ),
    ),
  ),
});

/** `POST /logout`: `{"all": true}` revokes every token of the caller. */
export const LogoutBody = v.object({
  all: v.optional(v.boolean("true or false"), false),
});

const iso = v.pipe(v.string(), v.isoTimestamp());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const userId = v.pipe(v.number(), v.integer(), v.minValue(1));

/** A room as the rooms routes return it. */
export const Room = v.pipe(
  v.strictObject({
    name: v.string(),
    title: v.nullable(v.string()),
    visibility: v.picklist(["public", "private"]),
    ownerId: v.pipe(v.nullable(userId), v.description("null for ownerless and direct rooms")),
    direct: v.pipe(v.boolean(), v.description("Whether it is a direct-message room")),
    createdAt: v.pipe(v.nullable(iso), v.description("null for a room joined without creation")),
    lastSeq: count,
    lastMessageAt: v.nullable(iso),
  }),
  v.metadata({ ref: "Room" }),
);

/** A membership of a room. */
export const Membership = v.pipe(
  v.strictObject({
    room: v.string(),
    user: User,
    role: v.picklist(["owner", "moderator", "member"]),
    since: iso,
  }),
  v.metadata({ ref: "Membership" }),
);

/** A room's members. */
export const MemberList = v.strictObject({ members: v.array(Membership) });

/** Whether a DELETE removed something (it answers 200 either way). */
export const Removed = v.strictObject({ removed: v.boolean() });

/** A ban or mute, of a room or (with `room: null`) of the server. */
export const Restriction = v.pipe(
  v.strictObject({
    kind: v.picklist(["ban", "mute"]),
    room: v.pipe(v.nullable(v.string()), v.description("null for a server-wide ban")),
    userId,
    user: v.pipe(v.nullable(User), v.description("null when the user no longer exists")),
    until: v.pipe(v.nullable(iso), v.description("null for good")),
    reason: v.nullable(v.string()),
    byId: v.pipe(v.nullable(userId), v.description("Who put it; null for the server API")),
    at: iso,
  }),
  v.metadata({ ref: "Restriction" }),
);

/** A room's bans. */
export const BanList = v.strictObject({ bans: v.array(Restriction) });
/** A room's mutes. */
export const MuteList = v.strictObject({ mutes: v.array(Restriction) });

/** What a logout revoked. */
export const LoggedOut = v.strictObject({
  revoked: v.pipe(v.picklist(["token", "all"]), v.description("This token, or every token")),
});

/** The `userId` path parameter. */
const USER_ID_PARAM = idParam("userId");

const BEARER = [{ bearerAuth: [] }];
const NO_TOKEN = failure("No token, or one that is not valid (expired, revoked)", [
  "INVALID_AUTH_TOKEN",
]);
const BAD_TARGET = failure("Bad room name, user id or body", [
  "BAD_ROOM_NAME",
  "BAD_QUERY",
  "BAD_BINDING",
]);
const REFUSED = failure(
  "Not allowed: not a moderator (or owner) of the room, a target of equal or higher rank, " +
    "not a member of a private room, banned",
  ["FORBIDDEN", "NOT_A_MEMBER", "BANNED", "USER_BANNED"],
);
const COMMON = STORE_FAILURES;

/** `POST /rooms`. */
export const CREATE_ROOM: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Create a room the caller owns",
  description: "409 ROOM_EXISTS when the name has an owner or any message. A private room " +
    "closes the sockets already joined to its name that are not its members' (4001).",
  security: BEARER,
  responses: {
    "201": ok("The room", Room),
    "400": failure("Bad body or room name", ["BAD_BINDING", "BAD_ROOM_NAME"]),
    "401": NO_TOKEN,
    "403": failure("The caller is banned from the server", ["USER_BANNED"]),
    "409": failure("The room exists", ["ROOM_EXISTS"]),
    "413": TOO_LARGE,
    ...COMMON,
  },
};

/** `POST /dms`. */
export const OPEN_DM: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "The direct-message room of the caller and another user",
  description: "The same private room every time, whoever of the two asks. " +
    "The caller's own id is refused (400 BAD_BINDING).",
  security: BEARER,
  responses: {
    "200": ok("The room", Room),
    "400": failure("Bad body, or the caller's own id", ["BAD_BINDING"]),
    "401": NO_TOKEN,
    "404": failure("No such user", ["USER_NOT_FOUND"]),
    "409": failure("A room that is not a direct-message room holds the name", ["ROOM_EXISTS"]),
    "413": TOO_LARGE,
    ...COMMON,
  },
};

/** `GET /rooms/{room}/members`. */
export const LIST_MEMBERS: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "A room's members and their roles",
  security: [{}, { bearerAuth: [] }],
  parameters: [ROOM_PARAM],
  responses: {
    "200": ok("The members, by user id", MemberList),
    "400": failure("Bad room name", ["BAD_ROOM_NAME"]),
    "401": failure("A private room needs a valid token", ["INVALID_AUTH_TOKEN"]),
    "403": failure("Not a member of the private room, or banned from it", [
      "NOT_A_MEMBER",
      "BANNED",
      "USER_BANNED",
    ]),
    ...COMMON,
  },
};

/** `PUT /rooms/{room}/members/{userId}`. */
export const PUT_MEMBER: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Make a user a member or moderator of a room",
  description: "The owner and moderators add and remove members; only the owner (and admins) " +
    "make or unmake moderators.",
  security: BEARER,
  parameters: [ROOM_PARAM, USER_ID_PARAM],
  responses: {
    "200": ok("The membership", Membership),
    "400": BAD_TARGET,
    "401": NO_TOKEN,
    "403": REFUSED,
    "404": failure("No such room (only created rooms have members) or user", [
      "ROOM_NOT_FOUND",
      "USER_NOT_FOUND",
    ]),
    "413": TOO_LARGE,
    ...COMMON,
  },
};

/** `DELETE /rooms/{room}/members/{userId}`. */
export const DELETE_MEMBER: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Remove a member; in a private room its sockets close with 4001 KICKED",
  security: BEARER,
  parameters: [ROOM_PARAM, USER_ID_PARAM],
  responses: {
    "200": ok("Whether it was a member", Removed),
    "400": failure("Bad room name or user id", ["BAD_ROOM_NAME", "BAD_QUERY"]),
    "401": NO_TOKEN,
    "403": REFUSED,
    "404": failure("No such user", ["USER_NOT_FOUND"]),
    ...COMMON,
  },
};

/** The operations of `/rooms/{room}/bans` or `/mutes`, by kind. */
export function restrictionOperations(kind: "ban" | "mute"): {
  put: DescribeRouteOptions;
  remove: DescribeRouteOptions;
  list: DescribeRouteOptions;
} {
  const effect = kind === "ban"
    ? "its sockets in the room close with 4003 BANNED on every node; it can neither join " +
      "(403 BANNED) nor send"
    : "it may still read, but not send (v2: an error event MUTED; v1: close 1008 MUTED)";
  return {
    put: {
      tags: ["moderation"],
      summary: `${kind === "ban" ? "Ban" : "Mute"} a user in a room: ${effect}`,
      security: BEARER,
      parameters: [ROOM_PARAM, USER_ID_PARAM],
      responses: {
        "200": ok(`The ${kind}`, Restriction),
        "400": BAD_TARGET,
        "401": NO_TOKEN,
        "403": REFUSED,
        "404": failure("No such user", ["USER_NOT_FOUND"]),
        "413": TOO_LARGE,
        ...COMMON,
      },
    },
    remove: {
      tags: ["moderation"],
      summary: `Lift a user's ${kind} in a room`,
      security: BEARER,
      parameters: [ROOM_PARAM, USER_ID_PARAM],
      responses: {
        "200": ok(`Whether there was a ${kind}`, Removed),
        "400": failure("Bad room name or user id", ["BAD_ROOM_NAME", "BAD_QUERY"]),
        "401": NO_TOKEN,
        "403": REFUSED,
        ...COMMON,
      },
    },
    list: {
      tags: ["moderation"],
      summary: `The ${kind}s in force in a room (its moderators)`,
      security: BEARER,
      parameters: [ROOM_PARAM],
      responses: {
        "200": ok(`The ${kind}s, by user id`, kind === "ban" ? BanList : MuteList),
        "400": failure("Bad room name", ["BAD_ROOM_NAME"]),
        "401": NO_TOKEN,
        "403": REFUSED,
        ...COMMON,
      },
    },
  };
}

/** `POST /logout`. */
export const LOGOUT: DescribeRouteOptions = {
  tags: ["users"],
  summary: "Revoke the caller's token (with all: every token of the caller)",
  description: "A revoked token gets 401 on REST at once on this node and within 5 s on " +
    "every node; its sockets close with 1008 TOKEN_REVOKED.",
  security: BEARER,
  responses: {
    "200": ok("Revoked", LoggedOut),
    "400": failure("Bad body", ["BAD_BINDING"]),
    "401": NO_TOKEN,
    "413": TOO_LARGE,
    ...COMMON,
  },
};
