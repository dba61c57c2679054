/**
 * The hub: this isolate's members, by room, and the one loop that writes an
 * already-encoded frame to them. It knows nothing of the bus, the store or
 * `seq`: ordering, history and resume live in `room_stream.ts`, and
 * `rooms.ts` decides what reaches the hub. An emptied room is dropped.
 *
 * @module
 */
import type { PublicUser } from "../model.ts";
import type { ProtocolVersion } from "./wire.ts";

/** One connected socket as the hub sees it. */
export interface Member {
  /** `undefined` for an anonymous reader. */
  readonly user: PublicUser | undefined;
  /** Accepts frames holding several messages (`?batch=1`). */
  readonly batch: boolean;
  /** The protocol it speaks; 1 when absent. */
  readonly version?: ProtocolVersion;
  /** Names the socket across nodes (a `read` signal skips the socket that sent it). */
  readonly socketId?: string;
  /**
   * Writes one text frame.
   *
   * @param backlog the frame is part of the history or resume sent on join:
   *   written in one turn, it may sit unsent until it drains, and does not
   *   count against the member's bound on unsent data
   */
  send(frame: string, backlog?: boolean): void;
}

/** Options of {@linkcode Hub}. */
export interface HubOptions {
  /** Called when a room's local members change. */
  onMembersChanged?: (room: string) => void;
}

interface RoomMembers<M> {
  readonly members: Set<M>;
  /** How many of them accept batched frames. */
  batch: number;
}

/** This isolate's members, by room. */
export class Hub<M extends Member = Member> {
  readonly #rooms = new Map<string, RoomMembers<M>>();
  readonly #onMembersChanged: ((room: string) => void) | undefined;
  #size = 0;

  constructor(options: HubOptions = {}) {
    this.#onMembersChanged = options.onMembersChanged;
  }

  /**
   * Adds a member to a room (a member already there stays once).
   *
   * @returns a disposer that removes it; calling it again does nothing
   */
  join(room: string, member: M): () => void {
    let state = this.#rooms.get(room);
    if (!state) this.#rooms.set(room, state = { members: new Set(), batch: 0 });
    if (!state.members.has(member)) {
      state.members.add(member);
      if (member.batch) state.batch++;
      this.#size++;
      this.#onMembersChanged?.(room);
    }
    return () => void this.leave(room, member);
  }

  /**
   * Removes a member from a room; the room is dropped once empty.
   *
   * @returns whether it was there
   */
  leave(room: string, member: M): boolean {
    const state = this.#rooms.get(room);
    if (!state?.members.delete(member)) return false;
    if (member.batch) state.batch--;
    this.#size--;
    if (state.members.size === 0) this.#rooms.delete(room);
    this.#onMembersChanged?.(room);
    return true;
  }

  /** Whether a member is in a room. */
  has(room: string, member: M): boolean {
    return this.#rooms.get(room)?.members.has(member) ?? false;
  }

  /** The local members of a room (a copy). */
  members(room: string): M[] {
    const state = this.#rooms.get(room);
    return state ? [...state.members] : [];
  }

  /** The number of local members of a room. */
  count(room: string): number {
    return this.#rooms.get(room)?.members.size ?? 0;
  }

  /** The number of local members of a room that accept batched frames. */
  batchCount(room: string): number {
    return this.#rooms.get(room)?.batch ?? 0;
  }

  /** Room names with members here. */
  rooms(): IterableIterator<string> {
    return this.#rooms.keys();
  }

  /** The number of rooms with local members. */
  get roomCount(): number {
    return this.#rooms.size;
  }

  /** The number of local members across rooms. */
  get size(): number {
    return this.#size;
  }

  /** Calls `visit` with each member of a room; `visit` must not join or leave members. */
  forEach(room: string, visit: (member: M) => void): void {
    const state = this.#rooms.get(room);
    if (state) { for (const member of state.members) visit(member); }
  }

  /** Removes every member of every room, e.g. on shutdown. */
  clear(): void {
    const rooms = [...this.#rooms.keys()];
    this.#rooms.clear();
    this.#size = 0;
    for (const room of rooms) this.#onMembersChanged?.(room);
  }
}
