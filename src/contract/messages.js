// @ts-self-types="./messages.d.ts"
/**
 * The shapes that cross the wire (CONTRACT §1–§3): REST bodies in their
 * envelope, the frames a client sends and the messages the server delivers.
 *
 * Protocol v1 frames from the server are arrays of {@linkcode ChatMessage};
 * v2's events (CONTRACT §6, a union discriminated by `type`) will sit beside
 * them in a module of their own.
 *
 * @module
 */

/**
 * A user as clients see it.
 * @typedef {{ readonly id: number, readonly username: string }} PublicUser
 */

/**
 * One chat message, exactly as it goes out on the wire and in REST history.
 * @typedef {object} ChatMessage
 * @property {string} id
 * @property {number} seq The room's own gapless counter, from 1.
 * @property {string} room
 * @property {PublicUser} sender
 * @property {string} text
 * @property {number} createTime Unix seconds, what the seed's clients read.
 * @property {string} createdAt ISO 8601 with milliseconds.
 * @property {string} [nonce] The sender's correlation value, echoed back when it sent one.
 */

/**
 * What a v1 server frame holds: one message, or several with `?batch=1`.
 * @typedef {ChatMessage[]} ServerFrame
 */

/**
 * What a signed-in client sends in a text frame. Other fields are ignored.
 * @typedef {{ text: string, nonce?: string }} ClientFrame
 */

/**
 * The `error` of a failed response's envelope.
 * @template {string} [T=string]
 * @typedef {{ type: T, message: string }} ErrorBody
 */

/**
 * Every `/api/` response body: `data` on success, `error` otherwise.
 * @template D
 * @typedef {{ error: null, data: D } | { error: ErrorBody, data: null }} Envelope
 */

/**
 * The body of `POST /users` and `POST /login`.
 * @typedef {{ username: string, secret: string }} Credentials
 */

/**
 * What a successful login returns.
 * @typedef {{ token: string, user: PublicUser }} LoginResult
 */

/**
 * A page of room history, oldest first.
 * @typedef {{ messages: ChatMessage[], hasMore: boolean }} HistoryPage
 */

/**
 * What `GET /rooms/:room` returns.
 * @typedef {{ name: string, lastSeq: number, online: { users: number, anonymous: number } }} RoomInfo
 */

/**
 * Who is connected to a room now.
 * @typedef {{ users: PublicUser[], anonymous: number }} RoomUsers
 */

export {};
