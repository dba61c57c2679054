// @ts-self-types="../client/types.d.ts"
/**
 * The option, status and event types of the client module. The wire shapes
 * (`ChatMessage`, `HistoryPage`, …) come from the contract.
 *
 * @module
 */

/**
 * @import { ChatMessage, ChatMessageEvent, DeleteEvent, EditEvent, HistoryPage, JoinEvent, LeaveEvent,
 *   PresenceEvent, PublicUser, ReadEvent, RoomInfo, TypingEvent } from "../contract/mod.js"
 */

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
 * A message as a room connection delivers it: the v1 fields, and in v2 also
 * `type: "message"`, `editedAt` once edited and `replyTo` when it answers one.
 * @typedef {ChatMessage & Partial<Pick<ChatMessageEvent, "type" | "editedAt" | "replyTo">>} RoomMessage
 */

/**
 * The events of a room connection, by name, with what their listeners receive.
 * Logged events come once each in `seq` order, also on a resume: `message`
 * (v1 and v2), `edit` and `delete` (v2). Ephemeral v2 events as they come:
 * `presence` (right after each join), `join`, `leave`, `typing`, `read` (this
 * user read the room on another socket). `status` on every state change.
 * `error`: a `ReplyError` for a v2 `error` event no request of this
 * connection was waiting for (the connection stays open), and once the
 * `ClosedError` or `ApiError` that ended the connection for good.
 * @typedef {object} RoomEventMap
 * @property {RoomMessage} message
 * @property {EditEvent} edit
 * @property {DeleteEvent} delete
 * @property {PresenceEvent} presence
 * @property {JoinEvent} join
 * @property {LeaveEvent} leave
 * @property {TypingEvent} typing
 * @property {ReadEvent} read
 * @property {ConnectionStatus} status
 * @property {Error} error
 */

/**
 * Options of `ChatClient.join()`.
 * @typedef {object} JoinOptions
 * @property {boolean} [v2] Speak protocol v2 (`?v=2`): typed events, edits,
 *   deletes, typing, read state, reply errors instead of closes, in-band token refresh.
 * @property {boolean} [batch] Join with `?batch=1` (several messages per frame).
 * @property {number} [since] Start after this `seq` instead of with the latest 50 messages
 *   (in v2: logged events).
 * @property {(message: RoomMessage) => void} [onMessage] Called once
 *   per message, in `seq` order (the first `message` listener).
 * @property {(status: ConnectionStatus) => void} [onStatus] Called on every state change.
 * @property {(error: Error) => void} [onError] The first `error` listener: called once when
 *   the connection ends for good because of an error (a `ClosedError` or an `ApiError`),
 *   and in v2 for each `ReplyError` no request was waiting for.
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
 * @property {() => string | Promise<string>} [getToken] Returns a fresh token of the
 *   same user. Called before the token's `exp`: v2 connections send it in an
 *   `auth` frame and stay open; every connection uses it on its next reconnect.
 * @property {number} [tokenRefreshLeadMs] How long before `exp` to refresh (default
 *   60,000; at most half the token's lifetime).
 * @property {typeof fetch} [fetch] A `fetch` to use instead of the global one.
 * @property {WebSocketClass | undefined} [WebSocket] A `WebSocket` to use instead of the global one.
 */

/**
 * What `ChatClient.join()` hands a new `RoomConnection`.
 * @typedef {object} RoomConnectionInit
 * @property {string} room
 * @property {URL} url The socket's URL, without `v`, `batch` and `since`.
 * @property {string | undefined} token
 * @property {number | undefined} userId
 * @property {WebSocketClass} WebSocket
 * @property {() => Promise<Error | undefined>} diagnose Why a handshake failed, when REST can tell.
 * @property {(before: number | undefined, limit: number) => Promise<HistoryPage>} history
 *   A page of the room's history before a seq (the latest without one), oldest first.
 * @property {() => Promise<RoomInfo>} roomInfo The room's last seq.
 * @property {(seq: number) => Promise<unknown>} markRead Moves the read position over REST.
 * @property {(() => Promise<string>) | undefined} refreshToken A fresh token, when the
 *   client has a `getToken`.
 * @property {number} tokenRefreshLeadMs
 * @property {JoinOptions} options
 */

/**
 * A room's visibility: public rooms are in the directory and open to all.
 * @typedef {"public" | "private"} Visibility
 */

/**
 * A member's role in a room.
 * @typedef {"owner" | "moderator" | "member"} RoomRole
 */

/**
 * Options of `ChatClient.createRoom()`.
 * @typedef {{ visibility?: Visibility, title?: string }} NewRoomOptions
 */

/**
 * A room as the rooms routes return it.
 * @typedef {object} Room
 * @property {string} name
 * @property {string | null} title
 * @property {Visibility} visibility
 * @property {number | null} ownerId `null` for a room joined without being created, and for a DM.
 * @property {boolean} direct Whether it is the direct-message room of two users.
 * @property {string | null} createdAt ISO 8601; `null` for a room joined without being created.
 * @property {number} lastSeq
 * @property {string | null} lastMessageAt ISO 8601, `null` before the first message.
 */

/**
 * One room of the public directory.
 * @typedef {object} DirectoryRoom
 * @property {string} name
 * @property {string | null} title
 * @property {Visibility} visibility
 * @property {number} lastSeq
 * @property {string | null} lastMessageAt ISO 8601, `null` before the first message.
 * @property {{ users: number, anonymous: number }} online
 */

/**
 * A page of the public directory; `next` is the cursor of the next page, `null` on the last.
 * @typedef {{ rooms: DirectoryRoom[], next: string | null }} DirectoryPage
 */

/**
 * One of the caller's rooms with its read state.
 * @typedef {object} UserRoom
 * @property {string} name
 * @property {string | null} title
 * @property {Visibility} visibility
 * @property {boolean} direct Whether it is a direct-message room.
 * @property {RoomRole | null} role `null` when the caller only posted there.
 * @property {number} lastSeq
 * @property {string | null} lastMessageAt ISO 8601, `null` before the first message.
 * @property {number} lastRead The `seq` read up to, 0 when never.
 * @property {number} unread Unread messages (capped by the server).
 */

/**
 * A membership of a room.
 * @typedef {{ room: string, user: PublicUser, role: RoomRole, since: string }} Membership
 */

/**
 * Options of a ban or mute: until when (for good without it) and why.
 * @typedef {{ until?: Date | string, reason?: string }} RestrictionOptions
 */

/**
 * A ban or mute as the server reports it.
 * @typedef {object} Restriction
 * @property {"ban" | "mute"} kind
 * @property {string | null} room `null` for a server-wide ban.
 * @property {number} userId
 * @property {PublicUser | null} user `null` when that user no longer exists.
 * @property {string | null} until ISO 8601, `null` for good.
 * @property {string | null} reason
 * @property {number | null} byId Who put it; `null` for the server API.
 * @property {string} at When it was put, ISO 8601.
 */

/**
 * What a `DELETE` of a member, ban or mute answers: whether there was one.
 * @typedef {{ removed: boolean }} Removed
 */

export {};
