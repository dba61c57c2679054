/**
 * The schemas of `/api/v1/users` and `/api/v1/login`: the credentials body,
 * the user and login results, and each operation's description.
 *
 * The body schema checks only that both fields are strings (`BAD_BINDING`);
 * the username and secret rules (`BAD_USERNAME`, `BAD_PASSWORD`) stay in
 * `src/auth/username.ts`, and are described here in words.
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { MAX_SECRET_BYTES, MAX_USERNAME_CHARS } from "../../contract/mod.js";
import { failure, idParam, INTERNAL, ok, RETRY_AFTER, STORE_DOWN, TOO_LARGE } from "./responses.ts";

/** `{"username": string, "secret": string}`; other fields (a client-sent `id`) are ignored. */
export const Credentials = v.object({
  username: v.pipe(
    v.string(),
    v.description(
      `1–${MAX_USERNAME_CHARS} characters (code points), no control characters, ` +
        "no leading or trailing white space",
    ),
  ),
  secret: v.pipe(v.string(), v.description(`1–${MAX_SECRET_BYTES} bytes in UTF-8`)),
});

/** A user as clients see it. */
export const User = v.pipe(
  v.strictObject({
    id: v.pipe(v.number(), v.integer(), v.minValue(1)),
    username: v.pipe(v.string(), v.description("As the user typed it (NFC)")),
  }),
  v.metadata({ ref: "User" }),
);

/** The caller (`GET /users/me`): a user and whether it is a server admin. */
export const Me = v.pipe(
  v.strictObject({
    id: v.pipe(v.number(), v.integer(), v.minValue(1)),
    username: v.pipe(v.string(), v.description("As the user typed it (NFC)")),
    admin: v.pipe(
      v.boolean(),
      v.description("A server admin (named in ADMIN_USERNAMES): moderates every room"),
    ),
  }),
  v.metadata({ ref: "Me" }),
);

/** What a login answers. */
export const LoginResult = v.pipe(
  v.strictObject({
    token: v.pipe(
      v.string(),
      v.description("An HS256 JWT with the claims sub, name, iat, exp and iss"),
    ),
    user: User,
  }),
  v.metadata({ ref: "LoginResult" }),
);

const THROTTLED = failure("Too many attempts from this address", ["RATE_LIMITED"], RETRY_AFTER);

/** `POST /users`. */
export const SIGN_UP: DescribeRouteOptions = {
  tags: ["users"],
  summary: "Create a user",
  description:
    "Usernames are unique without regard to case and Unicode form (NFKC, case-folded) and " +
    "are stored as typed (NFC). A client-sent `id` is ignored.",
  responses: {
    "201": ok("Created", User),
    "400": failure("Bad body, username or secret", ["BAD_BINDING", "BAD_USERNAME", "BAD_PASSWORD"]),
    "409": failure("The username is taken", ["USER_EXISTS"]),
    "413": TOO_LARGE,
    "429": THROTTLED,
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};

/** `POST /login`. */
export const LOGIN: DescribeRouteOptions = {
  tags: ["users"],
  summary: "Log in and get a JWT",
  responses: {
    "200": ok("Logged in", LoginResult),
    "400": failure("Bad body, or no such user", ["BAD_BINDING", "USER_NOT_FOUND"]),
    "401": failure("The secret does not match", ["PASSWORD_MATCH_FAILED"]),
    "403": failure("The user is banned from the server", ["USER_BANNED"]),
    "413": TOO_LARGE,
    "429": failure(
      "Too many attempts from this address or for this username",
      ["RATE_LIMITED"],
      RETRY_AFTER,
    ),
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};

/** `GET /users/{id}`. */
export const USER_BY_ID: DescribeRouteOptions = {
  tags: ["users"],
  summary: "A user by id",
  parameters: [idParam("id")],
  responses: {
    "200": ok("The user", User),
    "400": failure("The id is not a positive integer", ["BAD_QUERY"]),
    "404": failure("No such user", ["USER_NOT_FOUND"]),
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};

/** `GET /users/me`, answered by the route of `/users/{id}`. */
export const ME: DescribeRouteOptions = {
  tags: ["users"],
  summary: "The caller",
  security: [{ bearerAuth: [] }],
  responses: {
    "200": ok("The token's user, and whether it is a server admin", Me),
    "401": failure("No token, or a token that is not valid", ["INVALID_AUTH_TOKEN"]),
    "404": failure("The token's user no longer exists", ["USER_NOT_FOUND"]),
    "500": INTERNAL,
    "503": STORE_DOWN,
  },
};
