/**
 * The schemas of `DELETE /rooms/{room}/messages/{seq}`: the author, the
 * room's owner and moderators, and server admins delete a message; its text
 * leaves the store.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { failure, idParam, INTERNAL, ok, STORE_DOWN } from "./responses.ts";
import { ROOM_PARAM } from "./rooms.ts";
import { User } from "./users.ts";

/** The `seq` path parameter. */
export const SEQ_PARAM = idParam("seq", "The message's seq in the room");

const seq = v.pipe(v.number(), v.integer(), v.minValue(1));

/** The `delete` event every member of the room receives (v2; v1 members see the message go). */
export const DeletedMessage = v.pipe(
  v.strictObject({
    type: v.literal("delete"),
    seq: v.pipe(seq, v.description("The delete's own place in the room's log")),
    room: v.string(),
    target: v.pipe(seq, v.description("The seq of the deleted message")),
    by: User,
    nonce: v.optional(v.string()),
  }),
  v.metadata({ ref: "DeleteEvent" }),
);

/** `DELETE /rooms/{room}/messages/{seq}`. */
export const DELETE_MESSAGE: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "Delete a message: its text leaves the store; v2 members get a delete event",
  description: "The author, the room's owner and moderators, and server admins may delete.",
  security: [{ bearerAuth: [] }],
  parameters: [ROOM_PARAM, SEQ_PARAM],
  responses: {
    "200": ok("The delete event", DeletedMessage),
    "400": failure("Bad room name or seq", ["BAD_ROOM_NAME", "BAD_QUERY"]),
    "401": failure("No token, or a token that is not valid", ["INVALID_AUTH_TOKEN"]),
    "403": failure(
      "Not the author, the owner or a moderator; not a member of the private room; banned",
      ["FORBIDDEN", "NOT_A_MEMBER", "BANNED", "USER_BANNED"],
    ),
    "404": failure("No message of the room has that seq", ["MESSAGE_NOT_FOUND"]),
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};
