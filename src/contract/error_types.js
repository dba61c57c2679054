// @ts-self-types="./error_types.d.ts"
/**
 * Every `error.type` the server can answer in its envelope (CONTRACT §1–§3,
 * and the room and moderation errors of §7), with the HTTP statuses it comes
 * with. All but `USER_NOT_FOUND` have one fixed status.
 * `tests/contract/error_types_test.ts` holds the list against the server's
 * source in both directions: a new error type must be added here.
 *
 * @module
 */

/**
 * One row of {@linkcode ERROR_TYPES}: the statuses an error type is answered
 * with (one, except where noted).
 * @typedef {{ readonly statuses: readonly number[] }} ErrorTypeInfo
 */

/**
 * @template {readonly number[]} const S
 * @param {S} statuses
 */
const row = (...statuses) => Object.freeze({ statuses: Object.freeze(statuses) });

/** Every error type of the API, by name. */
export const ERROR_TYPES = Object.freeze({
  /** 400: a body that is not a JSON object of strings, or cannot be read. */
  BAD_BINDING: row(400),
  /** 400: a query value (or path id) that is not valid. */
  BAD_QUERY: row(400),
  /** 400: a username the rules refuse. */
  BAD_USERNAME: row(400),
  /** 400: a secret the rules refuse. */
  BAD_PASSWORD: row(400),
  /** 400: a room name the rules refuse. */
  BAD_ROOM_NAME: row(400),
  /** 400: a message text that is blank, too long or malformed (a REST edit, a v2 `error` event). */
  BAD_TEXT: row(400),
  /** 400: a WebSocket handshake that is not version 13 with a well-formed key. */
  BAD_HANDSHAKE: row(400),
  /** 400 on login (the seed's choice); 404 when a user is looked up by id or token. */
  USER_NOT_FOUND: row(400, 404),
  /** 401: a wrong secret. */
  PASSWORD_MATCH_FAILED: row(401),
  /** 401: a token that is missing where required, invalid or expired. */
  INVALID_AUTH_TOKEN: row(401),
  /** 403: a browser origin that may not open sockets. */
  FORBIDDEN_ORIGIN: row(403),
  /** 404: an unknown path under `/api/`. */
  NOT_FOUND: row(404),
  /** 405: a known path with another method (with `Allow`). */
  METHOD_NOT_ALLOWED: row(405),
  /** 409: a username that is taken. */
  USER_EXISTS: row(409),
  /** 413: a body over the body limit. */
  PAYLOAD_TOO_LARGE: row(413),
  /** 426: a socket path without a WebSocket upgrade. */
  UPGRADE_REQUIRED: row(426),
  /** 429: past a rate limit (with `Retry-After`). */
  RATE_LIMITED: row(429),
  /** 500: an unexpected failure; the detail is only in the server's log. */
  INTERNAL_ERROR: row(500),
  /** 503: the server is stopping (with `Retry-After`). */
  SHUTTING_DOWN: row(503),
  /** 503: the store cannot be reached. */
  STORE_UNAVAILABLE: row(503),
  /** 503: the server's memory is past its high-water mark: no new sockets (with `Retry-After`). */
  OVERLOADED: row(503),
  // Rooms and moderation (CONTRACT §7).
  /** 401: the server API's `X-API-Key` is missing or wrong. */
  INVALID_API_KEY: row(401),
  /** 403: the user may not do that in this room. */
  FORBIDDEN: row(403),
  /** 403: the room is private and the user is not a member. */
  NOT_A_MEMBER: row(403),
  /** 403: the user is banned from the room. */
  BANNED: row(403),
  /** 403: the user is muted in the room: it may read but not send. */
  MUTED: row(403),
  /** 403: the user is banned from the server (login, and every token of it). */
  USER_BANNED: row(403),
  /** 404: no room has that name. */
  ROOM_NOT_FOUND: row(404),
  /** 404: no message of the room has that seq. */
  MESSAGE_NOT_FOUND: row(404),
  /** 409: a room of that name already exists. */
  ROOM_EXISTS: row(409),
  // Retention (MESSAGE_RETENTION_DAYS).
  /**
   * 410, never as an HTTP answer: the v2 `error` event sent before a `since`
   * replay that cannot be whole because retention deleted older events.
   */
  HISTORY_PRUNED: row(410),
});

/**
 * An `error.type` the API answers.
 * @typedef {keyof typeof ERROR_TYPES} ErrorType
 */

/**
 * Whether a string is an error type of the API.
 *
 * @param {string} type
 * @returns {type is ErrorType}
 */
export function isErrorType(type) {
  return Object.hasOwn(ERROR_TYPES, type);
}

/**
 * The one status an error type is always answered with, or `undefined` when
 * it depends on the route (`USER_NOT_FOUND`).
 *
 * @param {ErrorType} type
 * @returns {number | undefined}
 */
export function fixedStatus(type) {
  const { statuses } = ERROR_TYPES[type];
  return statuses.length === 1 ? statuses[0] : undefined;
}
