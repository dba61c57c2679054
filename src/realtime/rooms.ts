/**
 * The rooms of this isolate: wires bus → stream → hub. While a room has
 * members here it is subscribed on the bus and followed by one
 * {@linkcode RoomStream}; each event the stream delivers in order is encoded
 * once and written to the room's members through the {@linkcode Hub} (batching
 * members through the {@linkcode Batcher}). A joining member's live events are
 * held while its backlog is read, so it gets no gap and no duplicate at the
 * seam. An emptied room stays followed for a while, so a quick rejoin finds it
 * ready.
 *
 * Members speak protocol v1 or v2; an {@linkcode EventWire} says what each
 * version sees of an event and encodes it once per version per delivery.
 *
 * @module
 */
import type { ChatMessage } from "../model.ts";
import { Batcher } from "./batcher.ts";
import type { Bus } from "./bus.ts";
import type { Hub, Member } from "./hub.ts";
import { type EventLog, RoomStream, type StreamEvent } from "./room_stream.ts";
import { Seat } from "./seat.ts";
import type { RoomEvent } from "./subscriptions.ts";
import { type EventWire, type History, plainWire, type ProtocolVersion } from "./wire.ts";

/** How a member joins. */
export interface JoinOptions {
  /** Resume after this `seq` instead of receiving the latest history. */
  readonly since?: number;
}

/** What a session needs to join a room. */
export interface RoomJoiner {
  /**
   * Adds a member, sends its history (or backlog after `since`), then the live stream.
   *
   * @returns a disposer that removes the member
   * @throws when the history cannot be read; the member is not added then
   */
  join(room: string, member: Member, options?: JoinOptions): Promise<() => void>;
}

/** Dependencies of {@linkcode Rooms}. */
export interface RoomsOptions<E extends StreamEvent & RoomEvent> {
  readonly hub: Hub<Seat<E>>;
  readonly bus: Bus<E>;
  readonly log: EventLog<E>;
  /** What each protocol version sees of the events; default the same frames for all. */
  readonly wire?: EventWire<E>;
  /** Reports failures that have no caller to throw to. */
  readonly onError?: (error: unknown) => void;
  /** Told of each event once, as it is delivered in order (for latency metrics). */
  readonly onDelivered?: (event: E) => void;
  /** Told when a room's log was found reset and its stream restarted. */
  readonly onReset?: (room: string, epoch: number) => void;
  /** How long a room with no members here stays followed; default 30,000, 0 drops it at once. */
  readonly lingerMs?: number;
  /** See `RoomStreamOptions.gapTimeoutMs`; default 100. */
  readonly gapTimeoutMs?: number;
  /** See `RoomStreamOptions.quietCheckMs`; default 5,000. */
  readonly quietCheckMs?: number;
  /** See `RoomStreamOptions.recentKept`; default 100. */
  readonly recentKept?: number;
  /** How long batching members' events may wait to share a frame (`BATCH_WINDOW_MS`); default 0. */
  readonly batchWindowMs?: number;
}

interface RoomEntry<E extends StreamEvent> {
  readonly name: string;
  readonly stream: RoomStream<E>;
  readonly unsubscribe: () => void;
  /** Members whose backlog is being read; they hold live events meanwhile. */
  readonly joining: Set<Seat<E>>;
  /** Set while the room has no members and waits to be dropped. */
  lingerTimer: ReturnType<typeof setTimeout> | undefined;
}

/** How many times a join reads its backlog when the room's log keeps being reset. */
const JOIN_ATTEMPTS = 3;

/** This isolate's followed rooms. */
export class Rooms<E extends StreamEvent & RoomEvent = ChatMessage> implements RoomJoiner {
  readonly #entries = new Map<string, RoomEntry<E>>();
  readonly #options: RoomsOptions<E>;
  readonly #hub: Hub<Seat<E>>;
  readonly #batcher: Batcher<E>;
  readonly #wire: EventWire<E>;
  readonly #lingerMs: number;
  #sent = 0;

  constructor(options: RoomsOptions<E>) {
    this.#options = options;
    this.#hub = options.hub;
    this.#wire = options.wire ?? plainWire<E>();
    this.#batcher = new Batcher(options.hub, this.#wire, options.batchWindowMs);
    this.#lingerMs = options.lingerMs ?? 30_000;
  }

  /** Events written to members (each event once per member, history included). */
  get messagesSent(): number {
    return this.#sent + this.#batcher.messagesSent;
  }

  /** Rooms followed here, with members or lingering. */
  followed(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /**
   * Adds a member, sends its history (or backlog after `since`), then the live stream.
   *
   * @returns a disposer that removes the member
   * @throws when the history cannot be read; the member is not added then
   */
  async join(name: string, member: Member, options: JoinOptions = {}): Promise<() => void> {
    const entry = this.#open(name);
    const seat = new Seat<E>(member);
    entry.joining.add(seat);
    this.#hub.join(name, seat);
    const leave = () => this.#leave(entry, seat);
    try {
      for (let attempt = 1;; attempt++) {
        const backlog = await entry.stream.backlog(options.since);
        const history = backlog.epoch === entry.stream.epoch
          ? await this.#wire.history({
            room: name,
            version: seat.version,
            since: options.since,
            backlog,
          })
          : undefined;
        // Removed meanwhile (clear()): send nothing.
        if (!this.#hub.has(name, seat)) return leave;
        if (history && backlog.epoch === entry.stream.epoch) {
          this.#seat(entry, seat, history);
          return leave;
        }
        if (attempt === JOIN_ATTEMPTS) {
          throw new Error(`Cannot join room "${name}": its log was reset during the join`);
        }
      }
    } catch (error) {
      leave();
      throw error;
    }
  }

  /** Removes every member of every room and stops following them, e.g. on shutdown. */
  clear(): void {
    for (const entry of [...this.#entries.values()]) this.#dispose(entry);
    this.#hub.clear();
    this.#batcher.clear();
  }

  /** Sends a joined member its history and the events held meanwhile, and makes it live. */
  #seat(entry: RoomEntry<E>, seat: Seat<E>, history: History<E>): void {
    entry.joining.delete(seat);
    const held = seat.queue ?? [];
    seat.queue = undefined;
    const tail = held.filter((event) => event.seq > history.upTo);
    seat.upTo = tail.length > 0 ? tail[tail.length - 1]!.seq : history.upTo;
    const wire = this.#wire;
    const version = seat.version;
    const events = history.events.concat(tail).filter((event) => wire.visible(event, version));
    this.#sent += events.length;
    if (history.notice !== undefined) seat.send(history.notice, true);
    if (seat.batch) {
      if (events.length > 0) seat.send(wire.encode(events, version), true);
      return;
    }
    for (const event of events) seat.send(wire.encode([event], version), true);
  }

  #open(name: string): RoomEntry<E> {
    const existing = this.#entries.get(name);
    if (existing) {
      if (existing.lingerTimer !== undefined) clearTimeout(existing.lingerTimer);
      existing.lingerTimer = undefined;
      return existing;
    }
    const { log, onError, gapTimeoutMs, quietCheckMs, recentKept } = this.#options;
    const stream: RoomStream<E> = new RoomStream<E>({
      room: name,
      log,
      onEvent: (event) => this.#deliver(entry, event),
      onReset: (epoch) => this.#reset(entry, epoch),
      onError,
      gapTimeoutMs,
      quietCheckMs,
      recentKept,
    });
    const unsubscribe = this.#options.bus.subscribe(name, (event) => stream.receive(event));
    const entry: RoomEntry<E> = {
      name,
      stream,
      unsubscribe,
      joining: new Set(),
      lingerTimer: undefined,
    };
    this.#entries.set(name, entry);
    // A room whose log cannot be read is dropped, so the next join tries again;
    // its joiners see the failure through their backlog.
    stream.open().catch(() => {
      if (this.#entries.get(name) === entry) this.#dispose(entry);
    });
    return entry;
  }

  /** Writes one event, in order, to the room's members; encoded once per protocol version. */
  #deliver(entry: RoomEntry<E>, event: E): void {
    for (const seat of entry.joining) seat.queue!.push(event);
    const name = entry.name;
    const batching = this.#hub.batchCount(name);
    if (this.#hub.count(name) > batching) {
      const seq = event.seq;
      const wire = this.#wire;
      // By version; "" when the version is not sent the event.
      const frames: (string | undefined)[] = [];
      const frameFor = (version: ProtocolVersion) =>
        frames[version] ??= wire.visible(event, version) ? wire.encode([event], version) : "";
      this.#hub.forEach(name, (seat) => {
        if (seat.batch || seat.queue !== undefined || seq <= seat.upTo) return;
        const frame = frameFor(seat.version);
        if (frame === "") return;
        seat.send(frame);
        this.#sent++;
      });
    }
    this.#options.onDelivered?.(event);
    if (batching > 0) this.#batcher.add(name, event);
  }

  /** The room's log was reset: positions of the old epoch mean nothing now. */
  #reset(entry: RoomEntry<E>, epoch: number): void {
    // What the old epoch delivered still reaches the batching members.
    this.#batcher.flush(entry.name);
    const start = entry.stream.cursor;
    this.#hub.forEach(entry.name, (seat) => {
      seat.upTo = start;
      if (seat.queue) seat.queue.length = 0;
    });
    this.#options.onReset?.(entry.name, epoch);
  }

  #leave(entry: RoomEntry<E>, seat: Seat<E>): void {
    entry.joining.delete(seat);
    if (!this.#hub.leave(entry.name, seat)) return;
    if (this.#hub.count(entry.name) > 0 || this.#entries.get(entry.name) !== entry) return;
    if (this.#lingerMs === 0) return this.#dispose(entry);
    // An empty room stays followed for a while, so a quick rejoin (a
    // reconnect, a page reload) finds its stream and recent events ready.
    entry.lingerTimer = setTimeout(() => this.#dispose(entry), this.#lingerMs);
    Deno.unrefTimer(entry.lingerTimer);
  }

  #dispose(entry: RoomEntry<E>): void {
    if (entry.lingerTimer !== undefined) clearTimeout(entry.lingerTimer);
    entry.lingerTimer = undefined;
    if (this.#entries.get(entry.name) === entry) this.#entries.delete(entry.name);
    entry.unsubscribe();
    entry.stream.close();
    entry.joining.clear();
    this.#batcher.drop(entry.name);
  }
}
