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
 */
export type PublicUser = {
  readonly id: number;
  readonly username: string;
};
/**
 * One chat message, exactly as it goes out on the wire and in REST history.
 */
export type ChatMessage = {
  id: string;
  /**
   * The room's own gapless counter, from 1.
   */
  seq: number;
  room: string;
  sender: PublicUser;
  text: string;
  /**
   * Unix seconds, what the seed's clients read.
   */
  createTime: number;
  /**
   * ISO 8601 with milliseconds.
   */
  createdAt: string;
  /**
   * The sender's correlation value, echoed back when it sent one.
   */
  nonce?: string | undefined;
};
/**
 * What a v1 server frame holds: one message, or several with `?batch=1`.
 */
export type ServerFrame = ChatMessage[];
/**
 * What a signed-in client sends in a text frame. Other fields are ignored.
 */
export type ClientFrame = {
  text: string;
  nonce?: string;
};
/**
 * The `error` of a failed response's envelope.
 */
export type ErrorBody<T extends string = string> = {
  type: T;
  message: string;
};
/**
 * Every `/api/` response body: `data` on success, `error` otherwise.
 */
export type Envelope<D> = {
  error: null;
  data: D;
} | {
  error: ErrorBody;
  data: null;
};
/**
 * The body of `POST /users` and `POST /login`.
 */
export type Credentials = {
  username: string;
  secret: string;
};
/**
 * What a successful login returns.
 */
export type LoginResult = {
  token: string;
  user: PublicUser;
};
/**
 * A page of room history, oldest first.
 */
export type HistoryPage = {
  messages: ChatMessage[];
  hasMore: boolean;
};
/**
 * What `GET /rooms/:room` returns.
 */
export type RoomInfo = {
  name: string;
  lastSeq: number;
  online: {
    users: number;
    anonymous: number;
  };
};
/**
 * Who is connected to a room now.
 */
export type RoomUsers = {
  users: PublicUser[];
  anonymous: number;
};
