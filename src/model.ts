/**
 * The shapes that flow between the store, the bus, the hub and the wire.
 *
 * @module
 */

/** A user as clients see it. */
export interface PublicUser {
  readonly id: number;
  readonly username: string;
}

/** A user as the store keeps it, with the password hash. */
export interface UserRecord extends PublicUser {
  readonly passwordHash: string;
}

/** One chat message, exactly as it goes out on the wire and in REST history. */
export interface ChatMessage {
  readonly id: string;
  /** The room's own gapless counter, from 1. */
  readonly seq: number;
  readonly room: string;
  readonly sender: PublicUser;
  readonly text: string;
  /** Unix seconds, what the seed's clients read. */
  readonly createTime: number;
  /** ISO 8601 with milliseconds. */
  readonly createdAt: string;
  /** The sender's correlation value, echoed back when it sent one. */
  readonly nonce?: string;
}

/** What a session asks the store to append; the store assigns `seq`. */
export interface NewMessage {
  readonly id: string;
  readonly room: string;
  readonly sender: PublicUser;
  readonly text: string;
  readonly nonce?: string;
  /** Milliseconds since the epoch. */
  readonly createdAtMs: number;
  /** The `seq` of a message of the same room this one answers (v2). */
  readonly replyTo?: number;
}

/** Builds the wire form of a stored message. */
export function toChatMessage(message: NewMessage, seq: number): ChatMessage {
  const out: {
    -readonly [K in keyof ChatMessage]: ChatMessage[K];
  } = {
    id: message.id,
    seq,
    room: message.room,
    sender: { id: message.sender.id, username: message.sender.username },
    text: message.text,
    createTime: Math.floor(message.createdAtMs / 1000),
    createdAt: new Date(message.createdAtMs).toISOString(),
  };
  if (message.nonce !== undefined) out.nonce = message.nonce;
  return out;
}

/**
 * A message as the store keeps it: the v1 wire fields plus what v2 adds. Only
 * a message that has them carries `replyTo` or `editedAt`, so a v1 message is
 * exactly its {@linkcode ChatMessage}; send {@linkcode toV1Message} of it to v1
 * clients.
 */
export interface StoredMessage extends ChatMessage {
  /** The `seq` of the message this one answers. */
  readonly replyTo?: number;
  /** When its text was last edited, ISO 8601 with milliseconds. */
  readonly editedAt?: string;
}

/** The v2 `message` event (CONTRACT §6): the v1 fields, then `editedAt` and `replyTo`. */
export interface LoggedMessage extends StoredMessage {
  readonly type: "message";
}

/** The v2 `edit` event: the message `target` of the same room now reads `text`. */
export interface EditEvent {
  readonly type: "edit";
  /** The edit's own place in the room's log. */
  readonly seq: number;
  readonly room: string;
  /** The `seq` of the edited message. */
  readonly target: number;
  readonly text: string;
  /** ISO 8601 with milliseconds. */
  readonly editedAt: string;
  /** Who edited it (its author). */
  readonly sender: PublicUser;
  /** The editor's correlation value, when it sent one. */
  readonly nonce?: string;
}

/** The v2 `delete` event: the message `target` of the same room is gone. */
export interface DeleteEvent {
  readonly type: "delete";
  readonly seq: number;
  readonly room: string;
  readonly target: number;
  /** Who deleted it. */
  readonly by: PublicUser;
  /** The deleter's correlation value, when it sent one. */
  readonly nonce?: string;
}

/** Every event that takes a `seq` in a room's log. */
export type LoggedEvent = LoggedMessage | EditEvent | DeleteEvent;

/** The v1 wire form of a stored message: `replyTo` and `editedAt` left out. */
export function toV1Message(message: StoredMessage): ChatMessage {
  if (message.replyTo === undefined && message.editedAt === undefined) return message;
  const { replyTo: _replyTo, editedAt: _editedAt, ...v1 } = message;
  return v1;
}

/** The v2 `message` event of a stored message. */
export function toLoggedMessage(message: StoredMessage): LoggedMessage {
  const { replyTo, editedAt, ...v1 } = message;
  const event: { -readonly [K in keyof LoggedMessage]: LoggedMessage[K] } = {
    type: "message",
    ...v1,
  };
  if (editedAt !== undefined) event.editedAt = editedAt;
  if (replyTo !== undefined) event.replyTo = replyTo;
  return event;
}

/** Who is connected to one room now. */
export interface RoomPresence {
  readonly users: readonly PublicUser[];
  readonly anonymous: number;
}
