/**
 * What errors, closes and connection states mean to a person: one sentence
 * for every error type and close of the contract, so the page never shows a
 * bare code.
 *
 * @module
 */
import { ApiError, ClosedError, ReplyError, TimeoutError } from "../client/chat_client.js";
import {
  ABNORMAL_CLOSURE,
  CLOSE,
  closeNameOf,
  MAX_ROOM_NAME_CHARS,
  MAX_TEXT_CHARS,
} from "../contract/mod.js";

/**
 * @import { CloseName, ErrorType } from "../contract/mod.js"
 * @import { RoomConnection } from "../client/chat_client.js"
 */

/** What each error type of the API, and of the client module, means to a person. */
export const API_ERROR_TEXT = Object.freeze(
  /** @type {Record<ErrorType | "NETWORK_ERROR" | "BAD_RESPONSE", string>} */ ({
    BAD_BINDING: "The server could not read that request",
    PAYLOAD_TOO_LARGE: "That is too long for the server",
    BAD_USERNAME: "That username is not allowed",
    BAD_PASSWORD: "That password is not allowed",
    USER_EXISTS: "That username is taken: pick another, or log in if it is yours",
    USER_NOT_FOUND: "No account has that username: check it, or sign up",
    PASSWORD_MATCH_FAILED: "Wrong password for that username",
    RATE_LIMITED: "Too many attempts: wait a little and try again",
    INVALID_AUTH_TOKEN: "Your login is no longer valid: log in again",
    BAD_ROOM_NAME:
      `Room names are 1 to ${MAX_ROOM_NAME_CHARS} characters, with no spaces and no “/”`,
    BAD_TEXT: `Messages are 1 to ${
      MAX_TEXT_CHARS.toLocaleString("en-US")
    } characters and not only spaces`,
    BAD_QUERY: "The server refused the request's parameters",
    NOT_FOUND: "The server does not know that address",
    METHOD_NOT_ALLOWED: "The server does not allow that request",
    UPGRADE_REQUIRED: "That address needs a WebSocket connection",
    FORBIDDEN_ORIGIN: "The server does not accept connections from this page's address",
    BAD_HANDSHAKE: "The server refused the connection request",
    INTERNAL_ERROR: "The server hit an unexpected error: try again",
    SHUTTING_DOWN: "The server is restarting: try again in a moment",
    STORE_UNAVAILABLE: "The server cannot reach its storage right now: try again soon",
    FORBIDDEN: "You are not allowed to do that in this room",
    INVALID_API_KEY: "The server refused the API key",
    NOT_A_MEMBER: "That room is private: only its members can read and join it",
    BANNED: "You are banned from this room",
    MUTED: "You are muted in this room: you can read, but not send",
    USER_BANNED: "This account is banned from the server",
    ROOM_NOT_FOUND: "No room has that name",
    MESSAGE_NOT_FOUND: "That message is no longer in the room",
    ROOM_EXISTS: "A room of that name already exists",
    NETWORK_ERROR: "Cannot reach the server: check your connection",
    BAD_RESPONSE: "The server sent an answer this page does not understand",
  }),
);

/** Types whose server message adds the detail a person needs (which rule failed). */
const DETAILED_TYPES = new Set(["BAD_USERNAME", "BAD_PASSWORD", "BAD_ROOM_NAME", "BAD_QUERY"]);

/**
 * A person-readable sentence for an API error or a v2 reply error.
 *
 * @param {{ type: string, message: string, retryAfter?: number }} error
 * @returns {string}
 */
function describeApiError(error) {
  const text = Object.hasOwn(API_ERROR_TEXT, error.type)
    ? API_ERROR_TEXT[/** @type {keyof typeof API_ERROR_TEXT} */ (error.type)]
    : undefined;
  if (!text) return error.message ? `${error.message}.` : `The request failed (${error.type}).`;
  let out = text;
  if (DETAILED_TYPES.has(error.type) && error.message) out += ` (${error.message})`;
  if (error.retryAfter) out += ` (about ${Math.ceil(error.retryAfter)} s)`;
  return `${out}.`;
}

/** What each close of the contract's table means to a person. */
const CLOSE_TEXT = Object.freeze(
  /** @type {Record<CloseName, string>} */ ({
    NORMAL: "The connection closed.",
    SHUTDOWN: "The server is restarting.",
    BINARY_NOT_SUPPORTED:
      "The server refused data this page sent (binary frames are not supported).",
    BAD_MESSAGE: "The server could not read a message this page sent.",
    READ_ONLY:
      "You are reading anonymously, so the server closed the connection when this page sent a message. Log in to send.",
    RATE_LIMITED:
      "You sent messages faster than the server allows, so it closed the connection. Wait a few seconds, then join again.",
    TOKEN_EXPIRED: "Your login expired. Log in again to keep chatting.",
    TOKEN_REVOKED:
      "You were logged out (on this device or everywhere). Log in again to keep chatting.",
    MUTED:
      "You are muted in this room, so the server closed the connection when this page sent a message.",
    KICKED: "You were removed from this room.",
    BANNED: "You are banned from this room.",
    TOO_BIG: `That message was too big for the server (at most ${
      MAX_TEXT_CHARS.toLocaleString("en-US")
    } characters).`,
    INTERNAL_ERROR: "The server hit an error.",
    SLOW_CONSUMER: "The connection fell too far behind the room.",
  }),
);

/**
 * A person-readable sentence for a WebSocket close: by the contract's row for
 * the code and reason, else by the code alone (Deno closes 1001 with its own
 * reason).
 *
 * @param {number} code
 * @param {string} reason
 * @returns {string}
 */
export function describeClose(code, reason) {
  const name = closeNameOf(code, reason);
  if (name) return CLOSE_TEXT[name];
  if (code === ABNORMAL_CLOSURE) return "The connection dropped.";
  const rows = Object.entries(CLOSE).filter(([, row]) => row.code === code);
  if (rows.length === 1) return CLOSE_TEXT[/** @type {CloseName} */ (rows[0]?.[0])];
  if (rows.length > 1) return "The server closed the connection because of its rules.";
  return `The connection closed (code ${code}${reason ? `, ${reason}` : ""}).`;
}

/**
 * A person-readable sentence for any error the client raises.
 *
 * @param {unknown} error
 * @returns {string}
 */
export function describeError(error) {
  if (error instanceof ApiError || error instanceof ReplyError) return describeApiError(error);
  if (error instanceof ClosedError) return describeClose(error.code, error.reason);
  if (error instanceof TimeoutError) {
    return "The server did not confirm this message in time; it may not have been delivered.";
  }
  if (error instanceof RangeError) return `${error.message}.`;
  return "Something went wrong. Reload the page and try again.";
}

/**
 * Whether the composer is usable for a connection, and the hint shown under it.
 *
 * @param {RoomConnection | undefined} connection
 * @returns {{ enabled: boolean, hint: string }}
 */
export function composerState(connection) {
  if (!connection) return { enabled: false, hint: "Join a room to chat." };
  if (connection.readOnly) {
    return {
      enabled: false,
      hint: "You are reading anonymously. Log in or sign up to send messages.",
    };
  }
  if (connection.state === "closed") {
    return { enabled: false, hint: "Disconnected. Join the room again to send messages." };
  }
  return {
    enabled: true,
    hint: connection.state === "open"
      ? "Enter sends, Shift+Enter starts a new line."
      : "Reconnecting: messages you send now go out once the connection is back.",
  };
}
