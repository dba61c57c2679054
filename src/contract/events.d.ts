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
/**
 * Whether an event is logged (has a `seq` and is replayed by `since`).
 *
 * @param {{ type: string }} event
 * @returns {event is LoggedEvent}
 */
export function isLoggedEvent(event: {
  type: string;
}): event is LoggedEvent;
/** The value of the `v` query parameter that selects this protocol. */
export const PROTOCOL_V2: 2;
/**
 * The server forwards at most one `typing` event per user and room in this
 * many milliseconds; a client need not send `typing` more often.
 */
export const TYPING_INTERVAL_MS: 2000;
/** The `type` of every logged event (they carry a `seq`). */
export const LOGGED_EVENT_TYPES: readonly ["message", "edit", "delete"];
/** The `type` of every ephemeral event (no `seq`, never replayed). */
export const EPHEMERAL_EVENT_TYPES: readonly [
  "presence",
  "join",
  "leave",
  "typing",
  "read",
  "error",
];
/** The `type` of every frame a v2 client may send. */
export const CLIENT_FRAME_TYPES: readonly ["message", "edit", "delete", "typing", "read", "auth"];
/**
 * A `message` event: the v1 message fields, plus `editedAt` once edited and
 * `replyTo` when it answers another message of the room.
 */
export type ChatMessageEvent = ChatMessage & {
  type: "message";
  editedAt?: string;
  replyTo?: number;
};
/**
 * An `edit` event: the message `target` of the room now reads `text`.
 */
export type EditEvent = {
  type: "edit";
  /**
   * The edit's own place in the room's log.
   */
  seq: number;
  room: string;
  /**
   * The `seq` of the edited message.
   */
  target: number;
  text: string;
  /**
   * ISO 8601 with milliseconds.
   */
  editedAt: string;
  /**
   * Who edited it (its author).
   */
  sender: PublicUser;
  /**
   * The editor's correlation value, when it sent one.
   */
  nonce?: string | undefined;
};
/**
 * A `delete` event: the message `target` of the room is gone.
 */
export type DeleteEvent = {
  type: "delete";
  seq: number;
  room: string;
  target: number;
  /**
   * Who deleted it.
   */
  by: PublicUser;
  /**
   * The deleter's correlation value, when it sent one.
   */
  nonce?: string | undefined;
};
/**
 * Every event with a place in the room's log.
 */
export type LoggedEvent = ChatMessageEvent | EditEvent | DeleteEvent;
/**
 * Who is in the room, sent once right after the join (the joiner included).
 */
export type PresenceEvent = {
  type: "presence";
  users: PublicUser[];
  anonymous: number;
};
/**
 * A user's first socket in the room opened (on any isolate or process).
 */
export type JoinEvent = {
  type: "join";
  user: PublicUser;
};
/**
 * A user's last socket in the room closed.
 */
export type LeaveEvent = {
  type: "leave";
  user: PublicUser;
};
/**
 * A user is typing; never sent to the typist, at most once per user per
 * {@linkcode TYPING_INTERVAL_MS}.
 */
export type TypingEvent = {
  type: "typing";
  user: PublicUser;
};
/**
 * The user of this socket read `room` up to `seq` on another socket (tab).
 */
export type ReadEvent = {
  type: "read";
  room: string;
  seq: number;
};
/**
 * A request of this socket failed; the socket stays open. `nonce` is the
 * failed frame's, when it had one. `error.type` is an error type of the API
 * (`BAD_TEXT`, `MESSAGE_NOT_FOUND`, `FORBIDDEN`, `RATE_LIMITED`, …).
 */
export type ErrorEvent = {
  type: "error";
  nonce?: string;
  error: ErrorBody;
};
/**
 * Every event without a `seq`.
 */
export type EphemeralEvent =
  | PresenceEvent
  | JoinEvent
  | LeaveEvent
  | TypingEvent
  | ReadEvent
  | ErrorEvent;
/**
 * Every event a v2 server frame may hold, discriminated by `type`.
 */
export type ServerEvent = LoggedEvent | EphemeralEvent;
/**
 * What a v2 server frame holds: one event, or several with `?batch=1`.
 */
export type ServerFrameV2 = ServerEvent[];
/**
 * Posts a message (a bare `{"text"}` is one too). `replyTo` is the `seq` of
 * a message of the room it answers.
 */
export type MessageFrame = {
  type?: "message";
  text: string;
  nonce?: string;
  replyTo?: number;
};
/**
 * Replaces the text of one's own message `target`.
 */
export type EditFrame = {
  type: "edit";
  target: number;
  text: string;
  nonce?: string;
};
/**
 * Deletes the message `target`.
 */
export type DeleteFrame = {
  type: "delete";
  target: number;
  nonce?: string;
};
/**
 * Says the user is typing.
 */
export type TypingFrame = {
  type: "typing";
};
/**
 * Marks the room read up to `seq`.
 */
export type ReadFrame = {
  type: "read";
  seq: number;
};
/**
 * A fresh token for the same user: the socket's expiry moves to its `exp`.
 */
export type AuthFrame = {
  type: "auth";
  token: string;
};
/**
 * Every frame a v2 client sends.
 */
export type ClientFrameV2 =
  | MessageFrame
  | EditFrame
  | DeleteFrame
  | TypingFrame
  | ReadFrame
  | AuthFrame;
import type { ChatMessage } from "./messages.js";
import type { PublicUser } from "./messages.js";
import type { ErrorBody } from "./messages.js";
