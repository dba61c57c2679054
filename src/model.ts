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

/** Who is connected to one room now. */
export interface RoomPresence {
  readonly users: readonly PublicUser[];
  readonly anonymous: number;
}
