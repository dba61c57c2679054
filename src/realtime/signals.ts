/**
 * The ephemeral side of protocol v2, per room this node has sockets in: it
 * follows the room's signal channel on the bus, keeps the room's
 * {@linkcode RoomOccupancy}, and turns signals into the v2 events its live
 * v2 members receive: `join` and `leave` (when a user enters or leaves the
 * room across every node), `typing` (to everyone but the typist, at most one
 * per user per {@linkcode TYPING_INTERVAL_MS}), `read` (to the reader's other
 * sockets) and the `presence` snapshot a joining member gets. Each event is
 * encoded once and written to every member it is for. Logged events never
 * pass here (they ride the room's stream, `rooms.ts`).
 *
 * How nodes agree on join and leave: docs/decisions.md, "Join and leave
 * across nodes".
 *
 * @module
 */
import { TYPING_INTERVAL_MS } from "../contract/events.js";
import type { PublicUser, RoomPresence } from "../model.ts";
import type { Bus } from "./bus.ts";
import { type OccupancyChange, RoomOccupancy } from "./occupancy.ts";
import type { Signal } from "./signal.ts";
import type { ProtocolVersion } from "./wire.ts";

/** A local socket as the signals see it (a {@linkcode import("./seat.ts").Seat}). */
export interface SignalMember {
  readonly user: PublicUser | undefined;
  readonly version: ProtocolVersion;
  readonly socketId: string | undefined;
  /** Its join was sent: it receives live events. */
  readonly live: boolean;
  send(frame: string): void;
}

/** The v2 `presence` event. */
export interface PresenceEvent {
  readonly type: "presence";
  readonly users: readonly PublicUser[];
  readonly anonymous: number;
}

/** Dependencies of {@linkcode Signals}. */
export interface SignalsOptions {
  readonly bus: Pick<Bus<never>, "signal" | "subscribeSignals" | "settled">;
  /** This node's local members of a room. */
  readonly members: { forEach(room: string, visit: (member: SignalMember) => void): void };
  /** This node's id: unique per isolate, the same one its presence entries carry. */
  readonly node: string;
  /** Everyone present in a room according to the store (every node's presence entries). */
  readonly presence: (room: string) => Promise<RoomPresence>;
  readonly now?: () => number;
  /** How long another node's users count without a refresh; default 30,000. */
  readonly ttlMs?: number;
  /** How often this node refreshes its users and drops lapsed ones; default a third of `ttlMs`. */
  readonly refreshMs?: number;
  /**
   * How long a node that starts following a room waits for the other nodes'
   * answers before its first member's `presence` (their users count as
   * present, not as joins); default 100, 0 when no other node exists.
   */
  readonly helloWaitMs?: number;
  /** Reports failures that have no caller. */
  readonly onError?: (error: unknown) => void;
}

interface RoomState {
  readonly room: string;
  readonly occupancy: RoomOccupancy;
  unsubscribe: () => void;
  /** Resolves once the room's first presence is known (asked of other nodes, seeded from the store). */
  ready: Promise<void>;
  /** Until `ready`: changes are learnt, not announced (every local member awaits its snapshot). */
  syncing: boolean;
  /** Ends the wait for answers early (on close). */
  stopWaiting: (() => void) | undefined;
  /** Local sockets, anonymous ones included. */
  sockets: number;
  anonymous: number;
  /** When each user's last `typing` was let through. */
  readonly typingAt: Map<number, number>;
}

/** This node's ephemeral signals, per room; see the module doc. */
export class Signals {
  readonly #options: SignalsOptions;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #rooms = new Map<string, RoomState>();
  readonly #timer: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(options: SignalsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#timer = setInterval(() => this.#refresh(), options.refreshMs ?? this.#ttlMs / 3);
    Deno.unrefTimer(this.#timer);
  }

  /**
   * A local socket joined a room (for `user`, or anonymous): the user's
   * first socket on this node says `here`, and members see `join` if it is
   * new to the room.
   *
   * @returns the disposer to call when the socket leaves; calling it again does nothing
   */
  enter(room: string, user: PublicUser | undefined): () => void {
    if (this.#closed) return () => {};
    const state = this.#rooms.get(room) ?? this.#follow(room);
    state.sockets++;
    if (user) {
      const { first, change } = state.occupancy.enter(user);
      if (first) this.#send({ kind: "here", room, node: this.#options.node, user });
      this.#announce(state, change);
    } else state.anonymous++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#exit(state, user);
    };
  }

  /**
   * A local socket of `user` is typing: passed on unless the user typed
   * within the interval, and then only if `allowed` (asked only when not
   * throttled, so typing frames within the interval cost no check) resolves true.
   */
  typing(room: string, user: PublicUser, allowed?: () => Promise<boolean>): void {
    const state = this.#rooms.get(room);
    if (!state || this.#throttled(state, user.id)) return;
    const signal: Signal = { kind: "typing", room, node: this.#options.node, user };
    if (!allowed) return this.#send(signal);
    void allowed().then((may) => {
      if (may && this.#rooms.get(room) === state) this.#send(signal);
    });
  }

  /**
   * `user` read `room` up to `seq` (over a socket, `origin`, or REST): its
   * sockets in the room on every node are told, except `origin`.
   */
  read(room: string, user: PublicUser, seq: number, origin?: string): void {
    const signal: Signal = { kind: "read", room, node: this.#options.node, user, seq };
    this.#send(origin === undefined ? signal : { ...signal, origin });
  }

  /**
   * The `presence` event a member joining `room` gets: the users every node
   * holds, and the anonymous readers the store counts (at least this node's).
   */
  async snapshot(room: string): Promise<PresenceEvent> {
    const state = this.#rooms.get(room);
    await state?.ready;
    let anonymous = 0;
    try {
      anonymous = (await this.#options.presence(room)).anonymous;
    } catch (error) {
      this.#options.onError?.(error);
    }
    const now = this.#rooms.get(room);
    return {
      type: "presence",
      users: now?.occupancy.users() ?? [],
      anonymous: Math.max(anonymous, now?.anonymous ?? 0),
    };
  }

  /** Rooms followed here. */
  rooms(): IterableIterator<string> {
    return this.#rooms.keys();
  }

  /** Stops following every room; nothing more is sent or delivered. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    for (const state of this.#rooms.values()) {
      state.unsubscribe();
      state.stopWaiting?.();
    }
    this.#rooms.clear();
  }

  #follow(room: string): RoomState {
    const ttl = this.#ttlMs;
    const refresh = this.#options.refreshMs ?? ttl / 3;
    const occupancy = new RoomOccupancy({
      now: this.#now,
      expiryMs: ttl,
      // A node that missed the `hello` names its users at its next refresh.
      unconfirmedMs: refresh * 1.5,
      departedMs: 2000,
    });
    const state: RoomState = {
      room,
      occupancy,
      unsubscribe: () => {},
      ready: Promise.resolve(),
      syncing: true,
      stopWaiting: undefined,
      sockets: 0,
      anonymous: 0,
      typingAt: new Map(),
    };
    state.unsubscribe = this.#options.bus.subscribeSignals(room, (s) => this.#receive(state, s));
    this.#rooms.set(room, state);
    state.ready = this.#prepare(state);
    return state;
  }

  /** Asks the other nodes who they hold, and seeds the room from the store's presence. */
  async #prepare(state: RoomState): Promise<void> {
    try {
      // Asked once the channel hears the other nodes, so no answer is missed.
      await this.#options.bus.settled();
      if (this.#rooms.get(state.room) !== state) return;
      this.#send({ kind: "hello", room: state.room, node: this.#options.node });
      const seen = await this.#options.presence(state.room);
      if (this.#rooms.get(state.room) !== state) return;
      state.occupancy.seed(seen.users);
      await this.#waitForAnswers(state);
    } catch (error) {
      this.#options.onError?.(error);
    } finally {
      state.syncing = false;
    }
  }

  /** Gives the other nodes {@linkcode SignalsOptions.helloWaitMs} to answer a `hello`. */
  #waitForAnswers(state: RoomState): Promise<void> {
    const ms = this.#options.helloWaitMs ?? 100;
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        state.stopWaiting = undefined;
        resolve();
      }
      state.stopWaiting = done;
    });
  }

  #exit(state: RoomState, user: PublicUser | undefined): void {
    if (this.#rooms.get(state.room) !== state) return;
    state.sockets--;
    if (user) {
      const { last, change } = state.occupancy.exit(user);
      if (last) this.#send({ kind: "gone", room: state.room, node: this.#options.node, user });
      this.#announce(state, change);
    } else state.anonymous--;
    if (state.sockets > 0) return;
    this.#rooms.delete(state.room);
    state.unsubscribe();
    state.stopWaiting?.();
  }

  #receive(state: RoomState, signal: Signal): void {
    if (this.#rooms.get(state.room) !== state) return;
    const own = signal.node === this.#options.node;
    const { occupancy } = state;
    switch (signal.kind) {
      case "hello":
        if (!own && occupancy.hasLocalUsers) this.#sendHolders(state);
        return;
      case "here":
        if (!own) this.#announce(state, occupancy.here(signal.node, signal.user));
        return;
      case "gone":
        if (!own) this.#announce(state, occupancy.gone(signal.node, signal.user));
        return;
      case "holders":
        if (!own) this.#announce(state, occupancy.holders(signal.node, signal.users));
        return;
      case "typing": {
        const typist = signal.user.id;
        if (this.#throttled(state, typist)) return;
        state.typingAt.set(typist, this.#now());
        const event = { type: "typing", user: signal.user };
        return this.#deliver(state.room, event, (member) => member.user?.id !== typist);
      }
      case "read": {
        const { user, origin } = signal;
        const event = { type: "read", room: state.room, seq: signal.seq };
        return this.#deliver(
          state.room,
          event,
          (member) => member.user?.id === user.id && member.socketId !== origin,
        );
      }
    }
  }

  #throttled(state: RoomState, userId: number): boolean {
    const last = state.typingAt.get(userId);
    return last !== undefined && this.#now() - last < TYPING_INTERVAL_MS;
  }

  /** Tells the live v2 members who joined and who left (once the room's first presence is known). */
  #announce(state: RoomState, change: OccupancyChange): void {
    if (state.syncing) return;
    for (const user of change.joined) this.#deliver(state.room, { type: "join", user }, all);
    for (const user of change.left) this.#deliver(state.room, { type: "leave", user }, all);
  }

  /** Writes one event, encoded once, to the live v2 members `accept` picks. */
  #deliver(room: string, event: object, accept: (member: SignalMember) => boolean): void {
    let frame: string | undefined;
    this.#options.members.forEach(room, (member) => {
      if (member.version !== 2 || !member.live || !accept(member)) return;
      member.send(frame ??= JSON.stringify([event]));
    });
  }

  #sendHolders(state: RoomState): void {
    const users = state.occupancy.localUsers();
    this.#send({ kind: "holders", room: state.room, node: this.#options.node, users });
  }

  #send(signal: Signal): void {
    if (!this.#closed) this.#options.bus.signal(signal);
  }

  /** Refreshes this node's users in each room and drops other nodes' lapsed ones. */
  #refresh(): void {
    const now = this.#now();
    for (const state of this.#rooms.values()) {
      if (state.occupancy.hasLocalUsers) this.#sendHolders(state);
      this.#announce(state, state.occupancy.sweep());
      for (const [id, at] of state.typingAt) {
        if (now - at >= TYPING_INTERVAL_MS) state.typingAt.delete(id);
      }
    }
  }
}

const all = () => true;
