// @ts-self-types="./events.d.ts"
/**
 * Protocol v2 (CONTRACT §6): the events the server sends on a socket joined
 * with `?v=2`, and the frames a v2 client sends. Every server frame is a JSON
 * array of {@linkcode ServerEvent}s (exactly one without `batch=1`).
 *
 * Logged events (`message`, `edit`, `delete`) carry the room's `seq` and are
 * replayed by `since`; ephemeral ones (`presence`, `join`, `leave`, `typing`,
 * `read`, `error`) have no `seq` and are never replayed.
 *
 * ```js
 * import { isLoggedEvent, TYPING_INTERVAL_MS } from "./contract/mod.js";
 * socket.onmessage = (e) => JSON.parse(e.data).forEach((event) => {
 *   if (isLoggedEvent(event)) lastSeq = event.seq;
 * });
 * ```
 *
 * @module
 */

/** @import { ChatMessage, ErrorBody, PublicUser } from "./messages.js" */

/** The value of the `v` query parameter that selects this protocol. */
export const PROTOCOL_V2 = 2;

/**
 * The server forwards at most one `typing` event per user and room in this
 * many milliseconds; a client need not send `typing` more often.
 */
export const TYPING_INTERVAL_MS = 2000;

/** The `type` of every logged event (they carry a `seq`). */
export const LOGGED_EVENT_TYPES = Object.freeze(
  /** @type {const} */ (["message", "edit", "delete"]),
);

/** The `type` of every ephemeral event (no `seq`, never replayed). */
export const EPHEMERAL_EVENT_TYPES = Object.freeze(
  /** @type {const} */ (["presence", "join", "leave", "typing", "read", "error"]),
);

/** The `type` of every frame a v2 client may send. */
export const CLIENT_FRAME_TYPES = Object.freeze(
  /** @type {const} */ (["message", "edit", "delete", "typing", "read", "auth"]),
);

/**
 * A `message` event: the v1 message fields, plus `editedAt` once edited and
 * `replyTo` when it answers another message of the room.
 * @typedef {ChatMessage & { type: "message", editedAt?: string, replyTo?: number }} ChatMessageEvent
 */

/**
 * An `edit` event: the message `target` of the room now reads `text`.
 * @typedef {object} EditEvent
 * @property {"edit"} type
 * @property {number} seq The edit's own place in the room's log.
 * @property {string} room
 * @property {number} target The `seq` of the edited message.
 * @property {string} text
 * @property {string} editedAt ISO 8601 with milliseconds.
 * @property {PublicUser} sender Who edited it (its author).
 * @property {string} [nonce] The editor's correlation value, when it sent one.
 */

/**
 * A `delete` event: the message `target` of the room is gone.
 * @typedef {object} DeleteEvent
 * @property {"delete"} type
 * @property {number} seq
 * @property {string} room
 * @property {number} target
 * @property {PublicUser} by Who deleted it.
 * @property {string} [nonce] The deleter's correlation value, when it sent one.
 */

/**
 * Every event with a place in the room's log.
 * @typedef {ChatMessageEvent | EditEvent | DeleteEvent} LoggedEvent
 */

/**
 * Who is in the room, sent once right after the join (the joiner included).
 * @typedef {{ type: "presence", users: PublicUser[], anonymous: number }} PresenceEvent
 */

/**
 * A user's first socket in the room opened (on any isolate or process).
 * @typedef {{ type: "join", user: PublicUser }} JoinEvent
 */

/**
 * A user's last socket in the room closed.
 * @typedef {{ type: "leave", user: PublicUser }} LeaveEvent
 */

/**
 * A user is typing; never sent to the typist, at most once per user per
 * {@linkcode TYPING_INTERVAL_MS}.
 * @typedef {{ type: "typing", user: PublicUser }} TypingEvent
 */

/**
 * The user of this socket read `room` up to `seq` on another socket (tab).
 * @typedef {{ type: "read", room: string, seq: number }} ReadEvent
 */

/**
 * A request of this socket failed; the socket stays open. `nonce` is the
 * failed frame's, when it had one. `error.type` is an error type of the API
 * (`BAD_TEXT`, `MESSAGE_NOT_FOUND`, `FORBIDDEN`, `RATE_LIMITED`, …).
 * @typedef {{ type: "error", nonce?: string, error: ErrorBody }} ErrorEvent
 */

/**
 * Every event without a `seq`.
 * @typedef {PresenceEvent | JoinEvent | LeaveEvent | TypingEvent | ReadEvent | ErrorEvent} EphemeralEvent
 */

/**
 * Every event a v2 server frame may hold, discriminated by `type`.
 * @typedef {LoggedEvent | EphemeralEvent} ServerEvent
 */

/**
 * What a v2 server frame holds: one event, or several with `?batch=1`.
 * @typedef {ServerEvent[]} ServerFrameV2
 */

/**
 * Posts a message (a bare `{"text"}` is one too). `replyTo` is the `seq` of
 * a message of the room it answers.
 * @typedef {{ type?: "message", text: string, nonce?: string, replyTo?: number }} MessageFrame
 */

/**
 * Replaces the text of one's own message `target`.
 * @typedef {{ type: "edit", target: number, text: string, nonce?: string }} EditFrame
 */

/**
 * Deletes the message `target`.
 * @typedef {{ type: "delete", target: number, nonce?: string }} DeleteFrame
 */

/**
 * Says the user is typing.
 * @typedef {{ type: "typing" }} TypingFrame
 */

/**
 * Marks the room read up to `seq`.
 * @typedef {{ type: "read", seq: number }} ReadFrame
 */

/**
 * A fresh token for the same user: the socket's expiry moves to its `exp`.
 * @typedef {{ type: "auth", token: string }} AuthFrame
 */

/**
 * Every frame a v2 client sends.
 * @typedef {MessageFrame | EditFrame | DeleteFrame | TypingFrame | ReadFrame | AuthFrame} ClientFrameV2
 */

/**
 * Whether an event is logged (has a `seq` and is replayed by `since`).
 *
 * @param {{ type: string }} event
 * @returns {event is LoggedEvent}
 */
export function isLoggedEvent(event) {
  return event.type === "message" || event.type === "edit" || event.type === "delete";
}
