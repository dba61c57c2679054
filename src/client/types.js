// @ts-self-types="../client/types.d.ts"
/**
 * The option, status and event types of the client module. The wire shapes
 * (`ChatMessage`, `HistoryPage`, …) come from the contract.
 *
 * @module
 */

/** @import { ChatMessage, HistoryPage, PublicUser, RoomInfo } from "../contract/mod.js" */

/**
 * A user as the server shows it (the contract's `PublicUser`).
 * @typedef {PublicUser} User
 */

/**
 * The `WebSocket` class, or a stand-in with the same constructor.
 * @typedef {typeof WebSocket} WebSocketClass
 */

/**
 * The state of a room connection.
 * @typedef {"connecting" | "open" | "reconnecting" | "closed"} ConnectionState
 */

/**
 * What `onStatus` and `status` listeners receive whenever the connection's state changes.
 * @typedef {object} ConnectionStatus
 * @property {ConnectionState} state
 * @property {number} attempt Reconnect attempts since the last open connection.
 * @property {number} [delayMs] With `reconnecting`: the wait before the next attempt.
 * @property {number} [code] With `reconnecting` and `closed`: the close code that caused it.
 * @property {string} [reason] With `reconnecting` and `closed`: the close reason.
 * @property {Error} [error] With `closed`: why it closed for good (`undefined` after `close()`).
 */

/**
 * The events of a room connection, by name, with what their listeners receive:
 * `message` once per message in `seq` order, `status` on every state change,
 * `error` once when the connection ends for good because of an error.
 * @typedef {object} RoomEventMap
 * @property {ChatMessage} message
 * @property {ConnectionStatus} status
 * @property {Error} error
 */

/**
 * Options of `ChatClient.join()`.
 * @typedef {object} JoinOptions
 * @property {boolean} [batch] Join with `?batch=1` (several messages per frame).
 * @property {number} [since] Start after this `seq` instead of with the latest 50 messages.
 * @property {(message: ChatMessage) => void} [onMessage] Called once
 *   per message, in `seq` order (the first `message` listener).
 * @property {(status: ConnectionStatus) => void} [onStatus] Called on every state change.
 * @property {(error: Error) => void} [onError] Called once when the connection ends for good
 *   because of an error: a `ClosedError` or an `ApiError`.
 * @property {number} [sendTimeoutMs] How long `send()` waits for its echo (default 10,000).
 * @property {number} [minReconnectDelayMs] First reconnect delay before jitter (default 500).
 * @property {number} [maxReconnectDelayMs] Longest reconnect delay (default 15,000).
 */

/**
 * Options of `new ChatClient()`.
 * @typedef {object} ChatClientOptions
 * @property {string} [baseUrl] The server's origin, e.g. `http://localhost:8000`;
 *   defaults to the page's own origin in a browser.
 * @property {string} [token] A token from an earlier login.
 * @property {User} [user] The token's user, when known.
 * @property {typeof fetch} [fetch] A `fetch` to use instead of the global one.
 * @property {WebSocketClass | undefined} [WebSocket] A `WebSocket` to use instead of the global one.
 */

/**
 * What `ChatClient.join()` hands a new `RoomConnection`.
 * @typedef {object} RoomConnectionInit
 * @property {string} room
 * @property {URL} url The socket's URL, without `batch` and `since`.
 * @property {string | undefined} token
 * @property {number | undefined} userId
 * @property {WebSocketClass} WebSocket
 * @property {() => Promise<Error | undefined>} diagnose Why a handshake failed, when REST can tell.
 * @property {(before: number, limit: number) => Promise<HistoryPage>} history
 *   A page of the room's history before a seq, oldest first.
 * @property {() => Promise<RoomInfo>} roomInfo The room's last seq.
 * @property {JoinOptions} options
 */

export {};
