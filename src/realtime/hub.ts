/**
 * The hub: this isolate's sockets, by room. It subscribes to the bus per room,
 * puts messages back into `seq` order (filling gaps from the store), sends
 * history on join with no gap or duplicate at the seam, and encodes each
 * delivery once for all members.
 *
 * @module
 */
import type { ChatMessage, PublicUser } from "../model.ts";
import type { Store } from "../store/store.ts";
import type { Bus } from "./bus.ts";

/** One connected socket as the hub sees it. */
export interface Member {
  /** `undefined` for an anonymous reader. */
  readonly user: PublicUser | undefined;
  /** Accepts frames holding several messages (`?batch=1`). */
  readonly batch: boolean;
  /**
   * Writes one text frame.
   *
   * @param backlog the frame is part of the history or resume sent on join:
   *   written in one turn, it may sit unsent until it drains, and does not
   *   count against the member's bound on unsent data
   */
  send(frame: string, backlog?: boolean): void;
}

/** How a member joins. */
export interface JoinOptions {
  /** Resume after this `seq` instead of receiving the latest history. */
  readonly since?: number;
}

/** Dependencies of {@linkcode Hub}. */
export interface HubOptions {
  bus: Bus;
  store: Pick<Store, "listMessages" | "lastSeq">;
  /** Called when a room's local members change. */
  onMembersChanged?: (room: string) => void;
  /** How long an out-of-order message waits before the gap is read from the store. */
  gapTimeoutMs?: number;
  /** Reports failures that have no caller to throw to. */
  onError?: (error: unknown) => void;
  /** How long a room with no members here stays subscribed; 0 drops it at once. */
  lingerMs?: number;
  /**
   * How many delivered messages each room keeps to answer joins without the
   * store (at least this many, at most twice); 0 reads every join's history
   * from the store.
   */
  recentKept?: number;
  /**
   * How often a room that delivered nothing is checked against the store's
   * last `seq`, so a message that was stored but never reached the bus (its
   * sender's process died, a publish failed) is still delivered; 0 never checks.
   */
  syncIntervalMs?: number;
  /** Told of each message once, as it is delivered in order (for latency metrics). */
  onDelivered?: (message: ChatMessage) => void;
}

/** History sent on a plain join. */
export const HISTORY_ON_JOIN = 50;
/** The most messages sent on a `since` resume. */
export const MAX_RESUME = 1000;

interface MemberState {
  readonly member: Member;
  /** Highest `seq` sent to this member. */
  lastSeq: number;
  /** Live messages held while its history is read. */
  queue: ChatMessage[] | undefined;
}

interface RoomState {
  readonly name: string;
  readonly members: Set<MemberState>;
  /** Highest `seq` delivered in order; -1 until read from the store. */
  cursor: number;
  readonly ready: Promise<void>;
  readonly pending: Map<number, ChatMessage>;
  gapTimer: ReturnType<typeof setTimeout> | undefined;
  batchBuffer: ChatMessage[];
  batchScheduled: boolean;
  unsubscribe: () => void;
  batchMembers: number;
  /** The latest messages delivered here, in seq order, ending at `cursor`. */
  recent: ChatMessage[];
  /** Set while the room has no members and waits to be dropped. */
  lingerTimer: ReturnType<typeof setTimeout> | undefined;
  syncTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set by each delivery, cleared by each sync: a room that moves needs no check. */
  moved: boolean;
}

/** The default of {@linkcode HubOptions.recentKept}: enough for a join's history. */
const RECENT_KEPT = 100;

const encodeOne = (message: ChatMessage) => JSON.stringify([message]);

/** This isolate's rooms and their members. */
export class Hub {
  readonly #rooms = new Map<string, RoomState>();
  readonly #options: HubOptions;
  readonly #gapTimeoutMs: number;
  readonly #recentKept: number;
  readonly #lingerMs: number;
  readonly #syncMs: number;
  #messagesSent = 0;

  constructor(options: HubOptions) {
    this.#options = options;
    this.#gapTimeoutMs = options.gapTimeoutMs ?? 100;
    this.#recentKept = options.recentKept ?? RECENT_KEPT;
    this.#lingerMs = options.lingerMs ?? 30_000;
    this.#syncMs = options.syncIntervalMs ?? 5_000;
  }

  /** Messages written to members (each message once per member, history included). */
  get messagesSent(): number {
    return this.#messagesSent;
  }

  /** Room names with members here. */
  *rooms(): IterableIterator<string> {
    for (const [name, room] of this.#rooms) if (room.members.size > 0) yield name;
  }

  /** The local members of a room. */
  members(room: string): Member[] {
    return [...(this.#rooms.get(room)?.members ?? [])].map((state) => state.member);
  }

  /** The number of rooms with local members. */
  get roomCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) if (room.members.size > 0) n++;
    return n;
  }

  /** The number of local members across rooms. */
  get size(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.members.size;
    return n;
  }

  /**
   * Adds a member, sends its history (or backlog after `since`), then the live stream.
   *
   * @returns a disposer that removes the member
   * @throws when the history cannot be read; the member is not added then
   */
  async join(roomName: string, member: Member, options: JoinOptions = {}): Promise<() => void> {
    const room = this.#room(roomName);
    const state: MemberState = { member, lastSeq: 0, queue: [] };
    room.members.add(state);
    if (member.batch) room.batchMembers++;
    const leave = () => this.#leave(room, state);
    this.#options.onMembersChanged?.(roomName);
    try {
      await room.ready;
      const since = options.since;
      // A client that saw more than this isolate has delivered yet (it was on
      // another isolate or process) is answered by the store, which has it all.
      const ahead = since !== undefined && since > room.cursor;
      const history = (ahead ? undefined : this.#recentHistory(room, since)) ??
        await this.#options.store.listMessages(
          roomName,
          since === undefined ? { limit: HISTORY_ON_JOIN } : { after: since, limit: MAX_RESUME },
        );
      // With nothing after `since` the member is up to date at `since`, clamped
      // to the room's last seq (a client of a room that was reset is then not
      // kept from the next messages); when this isolate is behind, only the
      // store knows that last seq.
      const upTo = history.length > 0
        ? history[history.length - 1]!.seq
        : ahead
        ? Math.min(since, await this.#options.store.lastSeq(roomName))
        : since ?? 0;
      if (!room.members.has(state)) return () => {};
      const queued = state.queue ?? [];
      state.queue = undefined;
      state.lastSeq = upTo;
      const tail = queued.filter((m) => m.seq > state.lastSeq);
      this.#sendBacklog(member, history, tail);
      if (tail.length > 0) state.lastSeq = tail[tail.length - 1]!.seq;
      return leave;
    } catch (error) {
      leave();
      throw error;
    }
  }

  /** Removes every member of every room, e.g. on shutdown. */
  clear(): void {
    for (const room of [...this.#rooms.values()]) {
      for (const state of [...room.members]) this.#leave(room, state);
      this.#dispose(room);
    }
  }

  /**
   * The join's history from the messages this room delivered while it had
   * members here, when they cover it; `undefined` sends the join to the store.
   */
  #recentHistory(room: RoomState, since: number | undefined): ChatMessage[] | undefined {
    if (this.#recentKept === 0) return undefined;
    const recent = room.recent;
    // `recent` holds every seq from `first` to the cursor, without a gap.
    const first = recent.length > 0 ? recent[0]!.seq : room.cursor + 1;
    const wanted = since === undefined
      ? Math.max(1, room.cursor - HISTORY_ON_JOIN + 1)
      : Math.max(since + 1, room.cursor - MAX_RESUME + 1);
    if (wanted < first) return undefined;
    return recent.slice(wanted - first);
  }

  #sendBacklog(member: Member, history: ChatMessage[], tail: ChatMessage[]): void {
    this.#messagesSent += history.length + tail.length;
    if (member.batch) {
      const all = history.concat(tail);
      if (all.length > 0) member.send(JSON.stringify(all), true);
      return;
    }
    for (const message of history) member.send(encodeOne(message), true);
    for (const message of tail) member.send(encodeOne(message), true);
  }

  #room(name: string): RoomState {
    const existing = this.#rooms.get(name);
    if (existing) {
      if (existing.lingerTimer !== undefined) {
        clearTimeout(existing.lingerTimer);
        existing.lingerTimer = undefined;
      }
      return existing;
    }
    let resolveReady!: () => void;
    let rejectReady!: (error: unknown) => void;
    const room: RoomState = {
      name,
      members: new Set(),
      cursor: -1,
      ready: new Promise<void>((resolve, reject) => {
        resolveReady = resolve;
        rejectReady = reject;
      }),
      pending: new Map(),
      gapTimer: undefined,
      batchBuffer: [],
      batchScheduled: false,
      unsubscribe: () => {},
      batchMembers: 0,
      recent: [],
      lingerTimer: undefined,
      syncTimer: undefined,
      moved: false,
    };
    this.#rooms.set(name, room);
    this.#armSync(room);
    room.unsubscribe = this.#options.bus.subscribe(name, (message) => this.#receive(room, message));
    this.#options.store.lastSeq(name).then(
      (seq) => {
        if (room.cursor < 0) room.cursor = seq;
        this.#drain(room);
        resolveReady();
      },
      (error) => {
        // The room is unusable: drop it so the next join tries again.
        if (this.#rooms.get(name) === room) this.#dispose(room);
        rejectReady(error);
      },
    );
    room.ready.catch(() => {});
    return room;
  }

  #leave(room: RoomState, state: MemberState): void {
    if (!room.members.delete(state)) return;
    if (state.member.batch) room.batchMembers--;
    if (room.members.size === 0 && this.#rooms.get(room.name) === room) {
      if (this.#lingerMs === 0) this.#dispose(room);
      else {
        // An empty room stays subscribed for a while, so a quick rejoin (a
        // reconnect, a page reload) finds its state and recent messages ready.
        room.lingerTimer = setTimeout(() => this.#dispose(room), this.#lingerMs);
        Deno.unrefTimer(room.lingerTimer);
      }
    }
    this.#options.onMembersChanged?.(room.name);
  }

  #dispose(room: RoomState): void {
    if (room.lingerTimer !== undefined) clearTimeout(room.lingerTimer);
    if (this.#rooms.get(room.name) === room) this.#rooms.delete(room.name);
    room.unsubscribe();
    if (room.gapTimer !== undefined) clearTimeout(room.gapTimer);
    if (room.syncTimer !== undefined) clearTimeout(room.syncTimer);
    room.pending.clear();
  }

  #receive(room: RoomState, message: ChatMessage): void {
    if (room.cursor < 0 || message.seq > room.cursor + 1) {
      room.pending.set(message.seq, message);
      if (room.cursor >= 0) this.#armGapTimer(room);
      return;
    }
    if (message.seq <= room.cursor) return;
    this.#deliver(room, message);
    this.#drain(room);
  }

  #drain(room: RoomState): void {
    if (room.pending.size === 0) return;
    for (const seq of [...room.pending.keys()]) if (seq <= room.cursor) room.pending.delete(seq);
    let next = room.pending.get(room.cursor + 1);
    while (next) {
      room.pending.delete(next.seq);
      this.#deliver(room, next);
      next = room.pending.get(room.cursor + 1);
    }
    if (room.pending.size > 0) this.#armGapTimer(room);
    else if (room.gapTimer !== undefined) {
      clearTimeout(room.gapTimer);
      room.gapTimer = undefined;
    }
  }

  #armGapTimer(room: RoomState): void {
    if (room.gapTimer !== undefined) return;
    room.gapTimer = setTimeout(() => {
      room.gapTimer = undefined;
      if (this.#rooms.get(room.name) !== room || room.pending.size === 0) return;
      this.#fill(room, Math.min(...room.pending.keys())).catch((error) => {
        this.#options.onError?.(error);
        this.#armGapTimer(room);
      });
    }, this.#gapTimeoutMs);
  }

  /** Reads the messages after the room's cursor and before `upTo` from the store, and delivers them. */
  async #fill(room: RoomState, upTo: number): Promise<void> {
    const missing = await this.#options.store.listMessages(room.name, {
      after: room.cursor,
      before: upTo,
      from: "oldest",
      limit: MAX_RESUME,
    });
    for (const message of missing) this.#receive(room, message);
    this.#drain(room);
  }

  #armSync(room: RoomState): void {
    if (this.#syncMs <= 0) return;
    room.syncTimer = setTimeout(() => this.#sync(room), this.#syncMs);
    Deno.unrefTimer(room.syncTimer);
  }

  /** Delivers what the store holds past the cursor of a room that has been quiet. */
  #sync(room: RoomState): void {
    room.syncTimer = undefined;
    if (this.#rooms.get(room.name) !== room) return;
    if (room.moved || room.cursor < 0 || room.pending.size > 0) {
      room.moved = false;
      return this.#armSync(room);
    }
    const cursor = room.cursor;
    this.#options.store.lastSeq(room.name)
      .then((last) => {
        if (last > cursor && room.cursor === cursor && this.#rooms.get(room.name) === room) {
          return this.#fill(room, last + 1);
        }
      })
      .catch((error) => this.#options.onError?.(error))
      .finally(() => {
        if (this.#rooms.get(room.name) === room) this.#armSync(room);
      });
  }

  #deliver(room: RoomState, message: ChatMessage): void {
    room.cursor = message.seq;
    room.moved = true;
    if (this.#recentKept > 0) {
      room.recent.push(message);
      if (room.recent.length >= 2 * this.#recentKept) room.recent.splice(0, this.#recentKept);
    }
    let frame: string | undefined;
    let sent = 0;
    for (const state of room.members) {
      if (state.queue) {
        state.queue.push(message);
      } else if (!state.member.batch && message.seq > state.lastSeq) {
        state.lastSeq = message.seq;
        state.member.send(frame ??= encodeOne(message));
        sent++;
      }
    }
    this.#messagesSent += sent;
    this.#options.onDelivered?.(message);
    if (room.batchMembers > 0) {
      room.batchBuffer.push(message);
      if (!room.batchScheduled) {
        room.batchScheduled = true;
        setTimeout(() => this.#flushBatch(room), 0);
      }
    }
  }

  #flushBatch(room: RoomState): void {
    room.batchScheduled = false;
    const batch = room.batchBuffer;
    room.batchBuffer = [];
    if (batch.length === 0) return;
    let frame: string | undefined;
    const first = batch[0]!.seq;
    const last = batch[batch.length - 1]!.seq;
    for (const state of room.members) {
      if (!state.member.batch || state.queue || state.lastSeq >= last) continue;
      if (state.lastSeq < first) {
        state.member.send(frame ??= JSON.stringify(batch));
        this.#messagesSent += batch.length;
      } else {
        const rest = batch.filter((m) => m.seq > state.lastSeq);
        state.member.send(JSON.stringify(rest));
        this.#messagesSent += rest.length;
      }
      state.lastSeq = last;
    }
  }
}
