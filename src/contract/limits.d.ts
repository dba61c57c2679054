/**
 * The limits of the wire contract (CONTRACT §2–§3), for the server that
 * enforces them and the clients that check before they send.
 *
 * @module
 */
/** The largest client frame in UTF-8 bytes (16 KiB); a larger one is closed with 1009 `TOO_BIG`. */
export const MAX_FRAME_BYTES: 16384;
/** The most characters (Unicode code points) of a message's text. */
export const MAX_TEXT_CHARS: 4000;
/** The most characters of a `nonce` (printable ASCII, so also its bytes). */
export const MAX_NONCE_CHARS: 64;
/** How many of a room's latest messages a join without `since` receives. */
export const HISTORY_ON_JOIN: 50;
/** The most messages a join with `?since=` receives before the live stream. */
export const MAX_RESUME: 1000;
/** The largest REST request body in bytes (16 KiB); a larger one is 413 `PAYLOAD_TOO_LARGE`. */
export const MAX_BODY_BYTES: 16384;
/** The most characters (code points) of a username. */
export const MAX_USERNAME_CHARS: 64;
/** The most UTF-8 bytes of a secret (password). */
export const MAX_SECRET_BYTES: 1024;
/** The most messages one page of `GET /rooms/:room/messages` holds (`limit`, CONTRACT §4). */
export const MAX_HISTORY_PAGE: 100;
/** The most characters (code points) of a room name. */
export const MAX_ROOM_NAME_CHARS: 64;
/**
 * The most unread messages a room's `unread` counts (`GET /users/me/rooms`); a room with more
 * reports this number, so show it as "99+".
 */
export const UNREAD_CAP: 100;
