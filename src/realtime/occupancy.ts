/**
 * Who is in one room, as one node sees it: its own users (with a socket
 * count each), the users each other node said it holds (`here`, `gone`,
 * `holders` signals, each node's entry lapsing unless refreshed), and users
 * the store's presence named when the node started following the room that
 * no node has confirmed yet. A user is in the room while any of the three
 * holds it; each method reports who entered or left that union, which is
 * when the node tells its members `join` and `leave`.
 *
 * Pure state with an injected clock: `signals.ts` feeds it and delivers.
 *
 * @module
 */
import type { PublicUser } from "../model.ts";

/** Who entered and who left the room's union of users. */
export interface OccupancyChange {
  readonly joined: PublicUser[];
  readonly left: PublicUser[];
}

/** Options of {@linkcode RoomOccupancy}. */
export interface OccupancyOptions {
  readonly now: () => number;
  /** How long another node's entry lives after its last signal. */
  readonly expiryMs: number;
  /** How long a user seeded from the store stays without a node confirming it. */
  readonly unconfirmedMs: number;
  /** How long a user that left is not seeded again (the store's presence lags). */
  readonly departedMs: number;
}

interface NodeEntry {
  readonly users: Map<number, PublicUser>;
  expiresAt: number;
}

const NO_CHANGE: OccupancyChange = Object.freeze({ joined: [], left: [] });

/** One room's users across nodes; see the module doc. */
export class RoomOccupancy {
  readonly #options: OccupancyOptions;
  readonly #local = new Map<number, { user: PublicUser; sockets: number }>();
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #unconfirmed = new Map<number, { user: PublicUser; expiresAt: number }>();
  readonly #departed = new Map<number, number>();

  constructor(options: OccupancyOptions) {
    this.#options = options;
  }

  /** Whether any socket of this node holds a user here. */
  get hasLocalUsers(): boolean {
    return this.#local.size > 0;
  }

  /** This node's users, by id. */
  localUsers(): PublicUser[] {
    return [...this.#local.values()].map((entry) => entry.user).sort(byId);
  }

  /** Everyone in the room, by id. */
  users(): PublicUser[] {
    const out = new Map<number, PublicUser>();
    for (const { user } of this.#local.values()) out.set(user.id, user);
    for (const entry of this.#nodes.values()) {
      for (const user of entry.users.values()) if (!out.has(user.id)) out.set(user.id, user);
    }
    for (const { user } of this.#unconfirmed.values()) {
      if (!out.has(user.id)) out.set(user.id, user);
    }
    return [...out.values()].sort(byId);
  }

  /**
   * A socket of this node joined for `user`.
   *
   * @returns `first`: it is the user's first socket on this node (say `here`)
   */
  enter(user: PublicUser): { first: boolean; change: OccupancyChange } {
    const entry = this.#local.get(user.id);
    if (entry) {
      entry.sockets++;
      return { first: false, change: NO_CHANGE };
    }
    const was = this.#has(user.id);
    this.#local.set(user.id, { user, sockets: 1 });
    this.#unconfirmed.delete(user.id);
    return { first: true, change: was ? NO_CHANGE : { joined: [user], left: [] } };
  }

  /**
   * A socket of this node for `user` left.
   *
   * @returns `last`: it was the user's last socket on this node (say `gone`)
   */
  exit(user: PublicUser): { last: boolean; change: OccupancyChange } {
    const entry = this.#local.get(user.id);
    if (!entry) return { last: false, change: NO_CHANGE };
    if (--entry.sockets > 0) return { last: false, change: NO_CHANGE };
    this.#local.delete(user.id);
    this.#departed.set(user.id, this.#options.now());
    return { last: true, change: this.#has(user.id) ? NO_CHANGE : { joined: [], left: [user] } };
  }

  /** Another node said it holds `user`. */
  here(node: string, user: PublicUser): OccupancyChange {
    const was = this.#has(user.id);
    this.#entry(node).users.set(user.id, user);
    this.#unconfirmed.delete(user.id);
    return was ? NO_CHANGE : { joined: [user], left: [] };
  }

  /** Another node said its last socket for `user` left. */
  gone(node: string, user: PublicUser): OccupancyChange {
    const was = this.#has(user.id);
    const entry = this.#entry(node);
    entry.users.delete(user.id);
    if (entry.users.size === 0) this.#nodes.delete(node);
    // Whoever held an unconfirmed user, it was seen leaving.
    this.#unconfirmed.delete(user.id);
    this.#departed.set(user.id, this.#options.now());
    return was && !this.#has(user.id) ? { joined: [], left: [user] } : NO_CHANGE;
  }

  /** Another node listed every user it holds (an answer to `hello`, or its refresh). */
  holders(node: string, users: readonly PublicUser[]): OccupancyChange {
    const before = this.#nodes.get(node)?.users ?? new Map<number, PublicUser>();
    const affected = new Map(before);
    for (const user of users) affected.set(user.id, user);
    const was = new Map([...affected.keys()].map((id) => [id, this.#has(id)]));
    if (users.length === 0) this.#nodes.delete(node);
    else {
      const entry = this.#entry(node);
      entry.users.clear();
      for (const user of users) {
        entry.users.set(user.id, user);
        this.#unconfirmed.delete(user.id);
      }
    }
    return this.#diff(affected, was);
  }

  /**
   * The store's presence when this node started following the room: users no
   * node has named yet, and that did not just leave, count until a node
   * confirms them or {@linkcode OccupancyOptions.unconfirmedMs} passes.
   */
  seed(users: readonly PublicUser[]): OccupancyChange {
    const now = this.#options.now();
    const joined: PublicUser[] = [];
    for (const user of users) {
      const left = this.#departed.get(user.id);
      if (this.#has(user.id) || (left !== undefined && now - left < this.#options.departedMs)) {
        continue;
      }
      this.#unconfirmed.set(user.id, { user, expiresAt: now + this.#options.unconfirmedMs });
      joined.push(user);
    }
    return joined.length > 0 ? { joined, left: [] } : NO_CHANGE;
  }

  /** Drops the entries of nodes that stopped refreshing and the unconfirmed users that lapsed. */
  sweep(): OccupancyChange {
    const now = this.#options.now();
    const affected = new Map<number, PublicUser>();
    for (const entry of this.#nodes.values()) {
      if (entry.expiresAt > now) continue;
      for (const user of entry.users.values()) affected.set(user.id, user);
    }
    for (const { user, expiresAt } of this.#unconfirmed.values()) {
      if (expiresAt <= now) affected.set(user.id, user);
    }
    for (const [id, at] of this.#departed) {
      if (now - at >= this.#options.departedMs) this.#departed.delete(id);
    }
    if (affected.size === 0) return NO_CHANGE;
    const was = new Map([...affected.keys()].map((id) => [id, this.#has(id)]));
    for (const [node, entry] of this.#nodes) if (entry.expiresAt <= now) this.#nodes.delete(node);
    for (const [id, { expiresAt }] of this.#unconfirmed) {
      if (expiresAt <= now) this.#unconfirmed.delete(id);
    }
    return this.#diff(affected, was);
  }

  /** Another node's entry, created if needed, its life renewed. */
  #entry(node: string): NodeEntry {
    let entry = this.#nodes.get(node);
    if (!entry) this.#nodes.set(node, entry = { users: new Map(), expiresAt: 0 });
    entry.expiresAt = this.#options.now() + this.#options.expiryMs;
    return entry;
  }

  #has(id: number): boolean {
    if (this.#local.has(id) || this.#unconfirmed.has(id)) return true;
    for (const entry of this.#nodes.values()) if (entry.users.has(id)) return true;
    return false;
  }

  #diff(affected: Map<number, PublicUser>, was: Map<number, boolean>): OccupancyChange {
    const joined: PublicUser[] = [];
    const left: PublicUser[] = [];
    for (const [id, user] of affected) {
      const now = this.#has(id);
      if (now && !was.get(id)) joined.push(user);
      else if (!now && was.get(id)) left.push(user);
    }
    return joined.length + left.length > 0 ? { joined, left } : NO_CHANGE;
  }
}

function byId(a: PublicUser, b: PublicUser): number {
  return a.id - b.id;
}
