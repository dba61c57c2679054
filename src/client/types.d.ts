/**
 * The option, status and event types of the client module. The wire shapes
 * (`ChatMessage`, `HistoryPage`, …) come from the contract.
 *
 * @module
 */
/**
 * A user as the server shows it (the contract's `PublicUser`).
 */
export type User = PublicUser;
/**
 * The `WebSocket` class, or a stand-in with the same constructor.
 */
export type WebSocketClass = typeof WebSocket;
/**
 * The state of a room connection.
 */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
/**
 * What `onStatus` and `status` listeners receive whenever the connection's state changes.
 */
export type ConnectionStatus = {
  state: ConnectionState;
  /**
   * Reconnect attempts since the last open connection.
   */
  attempt: number;
  /**
   * With `reconnecting`: the wait before the next attempt.
   */
  delayMs?: number | undefined;
  /**
   * With `reconnecting` and `closed`: the close code that caused it.
   */
  code?: number | undefined;
  /**
   * With `reconnecting` and `closed`: the close reason.
   */
  reason?: string | undefined;
  /**
   * With `closed`: why it closed for good (`undefined` after `close()`).
   */
  error?: Error | undefined;
};
/**
 * A message as a room connection delivers it: the v1 fields, and in v2 also
 * `type: "message"`, `editedAt` once edited and `replyTo` when it answers one.
 */
export type RoomMessage =
  & ChatMessage
  & Partial<Pick<ChatMessageEvent, "type" | "editedAt" | "replyTo">>;
/**
 * The events of a room connection, by name, with what their listeners receive.
 * Logged events come once each in `seq` order, also on a resume: `message`
 * (v1 and v2), `edit` and `delete` (v2). Ephemeral v2 events as they come:
 * `presence` (right after each join), `join`, `leave`, `typing`, `read` (this
 * user read the room on another socket). `status` on every state change.
 * `error`: a `ReplyError` for a v2 `error` event no request of this
 * connection was waiting for (the connection stays open), and once the
 * `ClosedError` or `ApiError` that ended the connection for good.
 */
export type RoomEventMap = {
  message: RoomMessage;
  edit: EditEvent;
  delete: DeleteEvent;
  presence: PresenceEvent;
  join: JoinEvent;
  leave: LeaveEvent;
  typing: TypingEvent;
  read: ReadEvent;
  status: ConnectionStatus;
  error: Error;
};
/**
 * Options of `ChatClient.join()`.
 */
export type JoinOptions = {
  /**
   * Speak protocol v2 (`?v=2`): typed events, edits,
   * deletes, typing, read state, reply errors instead of closes, in-band token refresh.
   */
  v2?: boolean | undefined;
  /**
   * Join with `?batch=1` (several messages per frame).
   */
  batch?: boolean | undefined;
  /**
   * Start after this `seq` instead of with the latest 50 messages
   * (in v2: logged events).
   */
  since?: number | undefined;
  /**
   * Called once
   * per message, in `seq` order (the first `message` listener).
   */
  onMessage?: ((message: RoomMessage) => void) | undefined;
  /**
   * Called on every state change.
   */
  onStatus?: ((status: ConnectionStatus) => void) | undefined;
  /**
   * The first `error` listener: called once when
   * the connection ends for good because of an error (a `ClosedError` or an `ApiError`),
   * and in v2 for each `ReplyError` no request was waiting for.
   */
  onError?: ((error: Error) => void) | undefined;
  /**
   * How long `send()` waits for its echo (default 10,000).
   */
  sendTimeoutMs?: number | undefined;
  /**
   * First reconnect delay before jitter (default 500).
   */
  minReconnectDelayMs?: number | undefined;
  /**
   * Longest reconnect delay (default 15,000).
   */
  maxReconnectDelayMs?: number | undefined;
};
/**
 * Options of `new ChatClient()`.
 */
export type ChatClientOptions = {
  /**
   * The server's origin, e.g. `http://localhost:8000`;
   * defaults to the page's own origin in a browser.
   */
  baseUrl?: string | undefined;
  /**
   * A token from an earlier login.
   */
  token?: string | undefined;
  /**
   * The token's user, when known.
   */
  user?: PublicUser | undefined;
  /**
   * Returns a fresh token of the
   * same user. Called before the token's `exp`: v2 connections send it in an
   * `auth` frame and stay open; every connection uses it on its next reconnect.
   */
  getToken?: (() => string | Promise<string>) | undefined;
  /**
   * How long before `exp` to refresh (default
   * 60,000; at most half the token's lifetime).
   */
  tokenRefreshLeadMs?: number | undefined;
  /**
   * A `fetch` to use instead of the global one.
   */
  fetch?: typeof fetch | undefined;
  /**
   * A `WebSocket` to use instead of the global one.
   */
  WebSocket?: WebSocketClass | undefined;
};
/**
 * What `ChatClient.join()` hands a new `RoomConnection`.
 */
export type RoomConnectionInit = {
  room: string;
  /**
   * The socket's URL, without `v`, `batch` and `since`.
   */
  url: URL;
  token: string | undefined;
  userId: number | undefined;
  WebSocket: WebSocketClass;
  /**
   * Why a handshake failed, when REST can tell.
   */
  diagnose: () => Promise<Error | undefined>;
  /**
   *   A page of the room's history before a seq (the latest without one), oldest first.
   */
  history: (before: number | undefined, limit: number) => Promise<HistoryPage>;
  /**
   * The room's last seq.
   */
  roomInfo: () => Promise<RoomInfo>;
  /**
   * Moves the read position over REST.
   */
  markRead: (seq: number) => Promise<unknown>;
  /**
   * A fresh token, when the
   * client has a `getToken`.
   */
  refreshToken: (() => Promise<string>) | undefined;
  tokenRefreshLeadMs: number;
  options: JoinOptions;
};
/**
 * A room's visibility: public rooms are in the directory and open to all.
 */
export type Visibility = "public" | "private";
/**
 * A member's role in a room.
 */
export type RoomRole = "owner" | "moderator" | "member";
/**
 * Options of `ChatClient.createRoom()`.
 */
export type NewRoomOptions = {
  visibility?: Visibility;
  title?: string;
};
/**
 * A room as the rooms routes return it.
 */
export type Room = {
  name: string;
  title: string | null;
  visibility: Visibility;
  /**
   * `null` for a room joined without being created, and for a DM.
   */
  ownerId: number | null;
  /**
   * Whether it is the direct-message room of two users.
   */
  direct: boolean;
  /**
   * ISO 8601; `null` for a room joined without being created.
   */
  createdAt: string | null;
  lastSeq: number;
  /**
   * ISO 8601, `null` before the first message.
   */
  lastMessageAt: string | null;
};
/**
 * One room of the public directory.
 */
export type DirectoryRoom = {
  name: string;
  title: string | null;
  visibility: Visibility;
  lastSeq: number;
  /**
   * ISO 8601, `null` before the first message.
   */
  lastMessageAt: string | null;
  online: {
    users: number;
    anonymous: number;
  };
};
/**
 * A page of the public directory; `next` is the cursor of the next page, `null` on the last.
 */
export type DirectoryPage = {
  rooms: DirectoryRoom[];
  next: string | null;
};
/**
 * One of the caller's rooms with its read state.
 */
export type UserRoom = {
  name: string;
  title: string | null;
  visibility: Visibility;
  /**
   * Whether it is a direct-message room.
   */
  direct: boolean;
  /**
   * `null` when the caller only posted there.
   */
  role: RoomRole | null;
  lastSeq: number;
  /**
   * ISO 8601, `null` before the first message.
   */
  lastMessageAt: string | null;
  /**
   * The `seq` read up to, 0 when never.
   */
  lastRead: number;
  /**
   * Unread messages (capped by the server).
   */
  unread: number;
};
/**
 * A membership of a room.
 */
export type Membership = {
  room: string;
  user: PublicUser;
  role: RoomRole;
  since: string;
};
/**
 * Options of a ban or mute: until when (for good without it) and why.
 */
export type RestrictionOptions = {
  until?: Date | string;
  reason?: string;
};
/**
 * A ban or mute as the server reports it.
 */
export type Restriction = {
  kind: "ban" | "mute";
  /**
   * `null` for a server-wide ban.
   */
  room: string | null;
  userId: number;
  /**
   * `null` when that user no longer exists.
   */
  user: PublicUser | null;
  /**
   * ISO 8601, `null` for good.
   */
  until: string | null;
  reason: string | null;
  /**
   * Who put it; `null` for the server API.
   */
  byId: number | null;
  /**
   * When it was put, ISO 8601.
   */
  at: string;
};
/**
 * What a `DELETE` of a member, ban or mute answers: whether there was one.
 */
export type Removed = {
  removed: boolean;
};
import type { PublicUser } from "../contract/mod.js";
import type { ChatMessage } from "../contract/mod.js";
import type { ChatMessageEvent } from "../contract/mod.js";
import type { EditEvent } from "../contract/mod.js";
import type { DeleteEvent } from "../contract/mod.js";
import type { PresenceEvent } from "../contract/mod.js";
import type { JoinEvent } from "../contract/mod.js";
import type { LeaveEvent } from "../contract/mod.js";
import type { TypingEvent } from "../contract/mod.js";
import type { ReadEvent } from "../contract/mod.js";
import type { HistoryPage } from "../contract/mod.js";
import type { RoomInfo } from "../contract/mod.js";
