/**
 * The schemas of `PATCH /rooms/{room}/messages/{seq}`: a message's author
 * replaces its text.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { MAX_TEXT_CHARS } from "../../contract/mod.js";
import { SEQ_PARAM } from "./message_deletes.ts";
import { failure, INTERNAL, ok, STORE_DOWN, TOO_LARGE } from "./responses.ts";
import { ROOM_PARAM } from "./rooms.ts";
import { User } from "./users.ts";

/** `{"text": string}`; the text rules (`BAD_TEXT`) are the message service's. */
export const EditBody = v.object({
  text: v.pipe(
    v.string(),
    v.description(`Trimmed-non-empty, at most ${MAX_TEXT_CHARS} characters (Unicode code points)`),
  ),
});

/** A message as it reads after an edit. */
export const EditedMessage = v.pipe(
  v.strictObject({
    id: v.string(),
    seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
    room: v.string(),
    sender: User,
    text: v.string(),
    createTime: v.pipe(v.number(), v.integer(), v.description("Unix seconds")),
    createdAt: v.pipe(v.string(), v.isoTimestamp()),
    nonce: v.optional(v.string()),
    replyTo: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    editedAt: v.pipe(v.string(), v.isoTimestamp(), v.description("When it was last edited")),
  }),
  v.metadata({ ref: "EditedMessage" }),
);

/** `PATCH /rooms/{room}/messages/{seq}`. */
export const EDIT_MESSAGE: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Replace the text of one's own message; members get an edit event",
  security: [{ bearerAuth: [] }],
  parameters: [ROOM_PARAM, SEQ_PARAM],
  responses: {
    "200": ok("The message as it now reads", EditedMessage),
    "400": failure("Bad room name, seq, body or text", [
      "BAD_ROOM_NAME",
      "BAD_QUERY",
      "BAD_BINDING",
      "BAD_TEXT",
    ]),
    "401": failure("No token, or a token that is not valid", ["INVALID_AUTH_TOKEN"]),
    "403": failure(
      "Not its author (only the author may edit); muted; banned; not a member of the private room",
      ["FORBIDDEN", "MUTED", "BANNED", "USER_BANNED", "NOT_A_MEMBER"],
    ),
    "404": failure("No message of the room has that seq", ["MESSAGE_NOT_FOUND"]),
    "413": TOO_LARGE,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};
