/**
 * The `?batch=1` coalescing: the events a room delivers within one turn of the
 * event loop leave as one frame, encoded once for every batching member. A
 * member whose join already sent part of the turn's events gets the rest in a
 * frame of its own.
 *
 * @module
 */
import type { Hub } from "./hub.ts";
import type { StreamEvent } from "./room_stream.ts";
import type { Seat } from "./seat.ts";
import { type EventWire, plainWire, type ProtocolVersion } from "./wire.ts";

/** Gathers each room's events of a turn and writes them to its batching members. */
export class Batcher<E extends StreamEvent> {
  readonly #hub: Hub<Seat<E>>;
  readonly #wire: EventWire<E>;
  #buffers = new Map<string, E[]>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sent = 0;

  /**
   * @param hub where the rooms' batching members are
   * @param wire what each protocol version sees of the events
   */
  constructor(hub: Hub<Seat<E>>, wire: EventWire<E> = plainWire<E>()) {
    this.#hub = hub;
    this.#wire = wire;
  }

  /** Events written to members (each event once per member). */
  get messagesSent(): number {
    return this.#sent;
  }

  /** Adds an event (in `seq` order within its room) to the room's frame of this turn. */
  add(room: string, event: E): void {
    const buffer = this.#buffers.get(room);
    if (buffer) buffer.push(event);
    else this.#buffers.set(room, [event]);
    this.#timer ??= setTimeout(() => this.#flushAll(), 0);
  }

  /** Writes a room's frame of this turn now (before its stream restarts, say). */
  flush(room: string): void {
    const events = this.#buffers.get(room);
    if (!events) return;
    this.#buffers.delete(room);
    this.#write(room, events);
  }

  /** Forgets a room's frame of this turn. */
  drop(room: string): void {
    this.#buffers.delete(room);
  }

  /** Forgets every pending frame and stops the turn's timer. */
  clear(): void {
    this.#buffers.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flushAll(): void {
    this.#timer = undefined;
    const buffers = this.#buffers;
    this.#buffers = new Map();
    for (const [room, events] of buffers) this.#write(room, events);
  }

  #write(room: string, events: E[]): void {
    const first = events[0]!.seq;
    const last = events[events.length - 1]!.seq;
    const wire = this.#wire;
    // By version: the events it is sent, and their frame once encoded.
    const shown: (E[] | undefined)[] = [];
    const frames: (string | undefined)[] = [];
    const shownTo = (version: ProtocolVersion) =>
      shown[version] ??= events.filter((event) => wire.visible(event, version));
    this.#hub.forEach(room, (seat) => {
      if (!seat.batch || seat.queue !== undefined || seat.upTo >= last) return;
      const version = seat.version;
      const visible = shownTo(version);
      if (seat.upTo < first) {
        if (visible.length === 0) return;
        seat.send(frames[version] ??= wire.encode(visible, version));
        this.#sent += visible.length;
      } else {
        const rest = visible.filter((event) => event.seq > seat.upTo);
        if (rest.length === 0) return;
        seat.send(wire.encode(rest, version));
        this.#sent += rest.length;
      }
    });
  }
}
