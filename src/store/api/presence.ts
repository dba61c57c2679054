/**
 * The presence and shared-secret parts of the
 * {@linkcode import("../store.ts").Store}.
 *
 * @module
 */
import type { PublicUser, RoomPresence } from "../../model.ts";

/** One isolate's members of one room, as written to the presence table. */
export interface PresenceSnapshot {
  readonly users: readonly PublicUser[];
  readonly anonymous: number;
}

/** Who is in which room, per node, with a time to live. */
export interface PresenceStore {
  /**
   * Replaces one node's presence in one room; it lapses after `ttlMs` unless
   * written again. An empty snapshot removes the node's entry.
   */
  putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number): Promise<void>;
  /** Everyone present in a room across nodes whose entries have not lapsed. */
  roomPresence(room: string): Promise<RoomPresence>;
  /** Drops every presence entry of a node (on shutdown). */
  clearPresence(node: string): Promise<void>;
}

/** Values created once and shared by every isolate (the generated JWT secret). */
export interface SecretStore {
  /** Returns the value kept under `name`, storing `create()` first if there is none. */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;
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
