/**
 * The schemas of the public room directory, `GET /rooms?cursor=&limit=`.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { wholeNumber } from "../query.ts";
import { failure, INTERNAL, ok, STORE_DOWN } from "./responses.ts";

/** The most rooms one directory page holds. */
export const MAX_DIRECTORY_PAGE = 100;
/** The page size when `limit` is absent. */
export const DEFAULT_DIRECTORY_PAGE = 50;
/** The longest cursor the server hands out and accepts. */
export const MAX_CURSOR_CHARS = 512;

/** `?cursor=&limit=`. */
export const DirectoryQuery = v.object({
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, "the next of an earlier page"),
      v.maxLength(MAX_CURSOR_CHARS, "the next of an earlier page"),
      v.description("The `next` of the previous page"),
    ),
  ),
  limit: v.optional(
    v.pipe(
      wholeNumber(1, MAX_DIRECTORY_PAGE),
      v.description(`How many rooms; ${DEFAULT_DIRECTORY_PAGE} when absent`),
    ),
  ),
});

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** One public room of the directory. */
export const DirectoryRoom = v.pipe(
  v.strictObject({
    name: v.string(),
    title: v.nullable(v.string()),
    visibility: v.literal("public"),
    lastSeq: count,
    lastMessageAt: v.pipe(
      v.nullable(v.pipe(v.string(), v.isoTimestamp())),
      v.description("When its latest message was posted; null before the first"),
    ),
    online: v.strictObject({ users: count, anonymous: count }),
  }),
  v.metadata({ ref: "DirectoryRoom" }),
);

/** One page of the directory. */
export const DirectoryPage = v.pipe(
  v.strictObject({
    rooms: v.array(DirectoryRoom),
    next: v.pipe(
      v.nullable(v.string()),
      v.description("The cursor of the next page; null on the last page"),
    ),
  }),
  v.metadata({ ref: "DirectoryPage" }),
);

/** `GET /rooms`. */
export const DIRECTORY: DescribeRouteOptions = {
  tags: ["rooms"],
  summary: "The public rooms, most recently active first, with who is online",
  description: "A room that becomes active while a client pages moves to the front, so a " +
    "client may miss it or see it twice.",
  responses: {
    "200": ok("One page of the directory", DirectoryPage),
    "400": failure("A bad cursor or limit", ["BAD_QUERY"]),
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};
