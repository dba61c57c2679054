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
 * The events of a room connection, by name, with what their listeners receive:
 * `message` once per message in `seq` order, `status` on every state change,
 * `error` once when the connection ends for good because of an error.
 */
export type RoomEventMap = {
  message: ChatMessage;
  status: ConnectionStatus;
  error: Error;
};
/**
 * Options of `ChatClient.join()`.
 */
export type JoinOptions = {
  /**
   * Join with `?batch=1` (several messages per frame).
   */
  batch?: boolean | undefined;
  /**
   * Start after this `seq` instead of with the latest 50 messages.
   */
  since?: number | undefined;
  /**
   * Called once
   * per message, in `seq` order (the first `message` listener).
   */
  onMessage?: ((message: ChatMessage) => void) | undefined;
  /**
   * Called on every state change.
   */
  onStatus?: ((status: ConnectionStatus) => void) | undefined;
  /**
   * Called once when the connection ends for good
   * because of an error: a `ClosedError` or an `ApiError`.
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
   * The socket's URL, without `batch` and `since`.
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
   *   A page of the room's history before a seq, oldest first.
   */
  history: (before: number, limit: number) => Promise<HistoryPage>;
  /**
   * The room's last seq.
   */
  roomInfo: () => Promise<RoomInfo>;
  options: JoinOptions;
};
import type { PublicUser } from "../contract/mod.js";
import type { ChatMessage } from "../contract/mod.js";
import type { HistoryPage } from "../contract/mod.js";
import type { RoomInfo } from "../contract/mod.js";
