/**
 * The message service's permission hook ({@linkcode RoomPolicy}) over the
 * permission table: posting is `send`, editing `edit` and deleting `delete`,
 * with `own` when the caller wrote the message. A post is the per-message hot
 * path, so standings are kept per user and room for a few seconds; every
 * change that could alter one (a ban, a mute, a membership, a room made
 * private) reaches every node on the control channel, which calls
 * {@linkcode PermissionPolicy.invalidate}. The time to live bounds what a
 * lost control event can leave stale.
 *
 * @module
 */
import type { RoomPolicy, RoomRequest } from "../chat/room_policy.ts";
import type { PublicUser } from "../model.ts";
import { type Action, refusalError } from "./permissions.ts";
import type { RoomAccess, Standing } from "./room_access.ts";

/** Options of {@linkcode PermissionPolicy}. */
export interface PermissionPolicyOptions {
  readonly access: RoomAccess;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** How long a standing is reused; default 5,000 ms, 0 reads it for every request. */
  readonly ttlMs?: number;
  /** The most standings kept; past it the cache starts over. Default 10,000. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly standing: Promise<Standing>;
  readonly expiresAt: number;
}

const ACTIONS: Readonly<Record<RoomRequest["action"], Action>> = {
  post: "send",
  edit: "edit",
  delete: "delete",
};

/** The permission table as the message service's policy. */
export class PermissionPolicy implements RoomPolicy {
  readonly #access: RoomAccess;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  /** Room → user id → standing. */
  readonly #cache = new Map<string, Map<number, Entry>>();
  #size = 0;

  constructor(options: PermissionPolicyOptions) {
    this.#access = options.access;
    this.#now = options.now;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /** Resolves when the request is allowed; rejects with the refusal's typed error. */
  async check(request: RoomRequest): Promise<void> {
    const { user, room } = request;
    const standing = await this.#standing(user, room);
    const own = request.action !== "post" && request.message.sender.id === user.id;
    const refusal = this.#access.decide(standing, ACTIONS[request.action], { own });
    if (refusal) throw refusalError(refusal, describe(request));
  }

  /**
   * Forgets kept standings: of one user in one room, of everyone in a room
   * (`userId` null), or of one user everywhere (`room` null).
   */
  invalidate(room: string | null, userId: number | null): void {
    if (room === null) {
      for (const [name, users] of this.#cache) {
        if (userId !== null && users.delete(userId)) {
          this.#size--;
          if (users.size === 0) this.#cache.delete(name);
        }
      }
      return;
    }
    const users = this.#cache.get(room);
    if (!users) return;
    if (userId === null) {
      this.#size -= users.size;
      this.#cache.delete(room);
    } else if (users.delete(userId)) {
      this.#size--;
      if (users.size === 0) this.#cache.delete(room);
    }
  }

  #standing(user: PublicUser, room: string): Promise<Standing> {
    if (this.#ttlMs === 0) return this.#access.standing(user, room);
    const now = this.#now();
    let users = this.#cache.get(room);
    const kept = users?.get(user.id);
    if (kept && kept.expiresAt > now) return kept.standing;
    if (!kept && this.#size >= this.#maxEntries) {
      this.#cache.clear();
      this.#size = 0;
      users = undefined;
    }
    if (!users) this.#cache.set(room, users = new Map());
    const standing = this.#access.standing(user, room);
    if (!kept) this.#size++;
    const entry = { standing, expiresAt: now + this.#ttlMs };
    users.set(user.id, entry);
    // A failed read is not kept: the next request reads again.
    standing.catch(() => {
      if (this.#cache.get(room)?.get(user.id) === entry) this.invalidate(room, user.id);
    });
    return standing;
  }
}

/** The refused request in words, for the error message. */
function describe(request: RoomRequest): string {
  if (request.action === "post") return `send a message to room "${request.room}"`;
  return `${request.action} message ${request.message.seq} of room "${request.room}"`;
}
