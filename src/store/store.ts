/**
 * The storage interface. One adapter per backend (`sqlite_store.ts`,
 * `kv_store.ts`); all pass `tests/store/store_contract.ts`.
 *
 * @module
 */
import type { ChatMessage, NewMessage, PublicUser, RoomPresence, UserRecord } from "../model.ts";

/** What the store needs to create a user. */
export interface NewUser {
  /** As typed, NFC. */
  readonly username: string;
  /** The caseless form uniqueness is checked on. */
  readonly canonical: string;
  readonly passwordHash: string;
}

/** A page query over one room's log; results are always oldest first. */
export interface MessageQuery {
  /** Only messages with `seq` below this. */
  readonly before?: number;
  /** Only messages with `seq` above this. */
  readonly after?: number;
  /** With `after`: the first `limit` after it (`"oldest"`) or the last `limit` (`"newest"`, default). */
  readonly from?: "oldest" | "newest";
  readonly limit: number;
}

/** One isolate's members of one room, as written to the presence table. */
export interface PresenceSnapshot {
  readonly users: readonly PublicUser[];
  readonly anonymous: number;
}

/** Users, room logs, presence and shared secrets. */
export interface Store {
  /** @throws {ConflictError} `USER_EXISTS` when the canonical name is taken */
  createUser(user: NewUser): Promise<PublicUser>;
  findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined>;
  findUserById(id: number): Promise<PublicUser | undefined>;
  updatePasswordHash(id: number, passwordHash: string): Promise<void>;

  /** Appends to the room's log, assigning the next gapless `seq` atomically. */
  appendMessage(message: NewMessage): Promise<ChatMessage>;
  listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]>;
  /** The room's highest `seq`, 0 when empty. */
  lastSeq(room: string): Promise<number>;

  /**
   * Replaces one node's presence in one room; it lapses after `ttlMs` unless
   * written again. An empty snapshot removes the node's entry.
   */
  putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number): Promise<void>;
  /** Everyone present in a room across nodes whose entries have not lapsed. */
  roomPresence(room: string): Promise<RoomPresence>;
  /** Drops every presence entry of a node (on shutdown). */
  clearPresence(node: string): Promise<void>;

  /** Returns the value kept under `name`, storing `create()` first if there is none. */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;

  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Folds per-node presence rows into one room's presence (users deduplicated by id). */
export function mergePresence(rows: Iterable<PresenceSnapshot>): RoomPresence {
  const users = new Map<number, PublicUser>();
  let anonymous = 0;
  for (const row of rows) {
    anonymous += row.anonymous;
    for (const user of row.users) if (!users.has(user.id)) users.set(user.id, user);
  }
  return { users: [...users.values()].sort((a, b) => a.id - b.id), anonymous };
}
