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
 * Whether a string is an error type of the API.
 *
 * @param {string} type
 * @returns {type is ErrorType}
 */
export function isErrorType(type: string): type is ErrorType;
/**
 * The one status an error type is always answered with, or `undefined` when
 * it depends on the route (`USER_NOT_FOUND`).
 *
 * @param {ErrorType} type
 * @returns {number | undefined}
 */
export function fixedStatus(type: ErrorType): number | undefined;
/** Every error type of the API, by name. */
export const ERROR_TYPES: Readonly<{
  /** 400: a body that is not a JSON object of strings, or cannot be read. */
  BAD_BINDING: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400: a query value (or path id) that is not valid. */
  BAD_QUERY: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400: a username the rules refuse. */
  BAD_USERNAME: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400: a secret the rules refuse. */
  BAD_PASSWORD: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400: a room name the rules refuse. */
  BAD_ROOM_NAME: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400: a message text that is blank, too long or malformed (a REST edit, a v2 `error` event). */
  BAD_TEXT: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400: a WebSocket handshake that is not version 13 with a well-formed key. */
  BAD_HANDSHAKE: Readonly<{
    statuses: readonly [400];
  }>;
  /** 400 on login (the seed's choice); 404 when a user is looked up by id or token. */
  USER_NOT_FOUND: Readonly<{
    statuses: readonly [400, 404];
  }>;
  /** 401: a wrong secret. */
  PASSWORD_MATCH_FAILED: Readonly<{
    statuses: readonly [401];
  }>;
  /** 401: a token that is missing where required, invalid or expired. */
  INVALID_AUTH_TOKEN: Readonly<{
    statuses: readonly [401];
  }>;
  /** 403: a browser origin that may not open sockets. */
  FORBIDDEN_ORIGIN: Readonly<{
    statuses: readonly [403];
  }>;
  /** 404: an unknown path under `/api/`. */
  NOT_FOUND: Readonly<{
    statuses: readonly [404];
  }>;
  /** 405: a known path with another method (with `Allow`). */
  METHOD_NOT_ALLOWED: Readonly<{
    statuses: readonly [405];
  }>;
  /** 409: a username that is taken. */
  USER_EXISTS: Readonly<{
    statuses: readonly [409];
  }>;
  /** 413: a body over the body limit. */
  PAYLOAD_TOO_LARGE: Readonly<{
    statuses: readonly [413];
  }>;
  /** 426: a socket path without a WebSocket upgrade. */
  UPGRADE_REQUIRED: Readonly<{
    statuses: readonly [426];
  }>;
  /** 429: past a rate limit (with `Retry-After`). */
  RATE_LIMITED: Readonly<{
    statuses: readonly [429];
  }>;
  /** 500: an unexpected failure; the detail is only in the server's log. */
  INTERNAL_ERROR: Readonly<{
    statuses: readonly [500];
  }>;
  /** 503: the server is stopping (with `Retry-After`). */
  SHUTTING_DOWN: Readonly<{
    statuses: readonly [503];
  }>;
  /** 503: the store cannot be reached. */
  STORE_UNAVAILABLE: Readonly<{
    statuses: readonly [503];
  }>;
  /** 503: the server's memory is past its high-water mark: no new sockets (with `Retry-After`). */
  OVERLOADED: Readonly<{
    statuses: readonly [503];
  }>;
  /** 401: the server API's `X-API-Key` is missing or wrong. */
  INVALID_API_KEY: Readonly<{
    statuses: readonly [401];
  }>;
  /** 403: the user may not do that in this room. */
  FORBIDDEN: Readonly<{
    statuses: readonly [403];
  }>;
  /** 403: the room is private and the user is not a member. */
  NOT_A_MEMBER: Readonly<{
    statuses: readonly [403];
  }>;
  /** 403: the user is banned from the room. */
  BANNED: Readonly<{
    statuses: readonly [403];
  }>;
  /** 403: the user is muted in the room: it may read but not send. */
  MUTED: Readonly<{
    statuses: readonly [403];
  }>;
  /** 403: the user is banned from the server (login, and every token of it). */
  USER_BANNED: Readonly<{
    statuses: readonly [403];
  }>;
  /** 404: no room has that name. */
  ROOM_NOT_FOUND: Readonly<{
    statuses: readonly [404];
  }>;
  /** 404: no message of the room has that seq. */
  MESSAGE_NOT_FOUND: Readonly<{
    statuses: readonly [404];
  }>;
  /** 409: a room of that name already exists. */
  ROOM_EXISTS: Readonly<{
    statuses: readonly [409];
  }>;
  /**
   * 410, never as an HTTP answer: the v2 `error` event sent before a `since`
   * replay that cannot be whole because retention deleted older events.
   */
  HISTORY_PRUNED: Readonly<{
    statuses: readonly [410];
  }>;
}>;
/**
 * An `error.type` the API answers.
 */
export type ErrorType = keyof typeof ERROR_TYPES;
/**
 * One row of {@linkcode ERROR_TYPES}: the statuses an error type is answered
 * with (one, except where noted).
 */
export type ErrorTypeInfo = {
  readonly statuses: readonly number[];
};
