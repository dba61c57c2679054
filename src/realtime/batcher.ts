/**
 * The `?batch=1` coalescing: the events a room delivers within one turn of the
 * event loop leave as one frame, encoded once for every batching member. A
 * member whose join already sent part of the frame's events gets the rest in
 * a frame of its own.
 *
 * With a window (`BATCH_WINDOW_MS`, a bounded write delay like Centrifugo's)
 * frames leave at most once per window: an event that comes when the last
 * frames left a window ago or more goes at the end of its turn, as without
 * one; an event that comes sooner waits for the window to pass, and the ones
 * after it join its frame. So an event waits at most the window, and a quiet
 * room's events (further apart than the window) wait not at all.
 *
 * @module
 */
import type { Hub } from "./hub.ts";
import type { StreamEvent } from "./room_stream.ts";
import type { Seat } from "./seat.ts";
import { type EventWire, plainWire, type ProtocolVersion } from "./wire.ts";

/** Gathers each room's events of a turn (or window) and writes them to its batching members. */
export class Batcher<E extends StreamEvent> {
  readonly #hub: Hub<Seat<E>>;
  readonly #wire: EventWire<E>;
  #buffers = new Map<string, E[]>();
  readonly #windowMs: number;
  readonly #now: () => number;
  /** When the frames last left (`#now`); -Infinity before the first. */
  #flushedAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sent = 0;

  /**
   * @param hub where the rooms' batching members are
   * @param wire what each protocol version sees of the events
   * @param windowMs the least time between two flushes of the frames, so the
   *   longest an event waits for others to share its frame; 0 (the default):
   *   the events of one turn of the event loop share it
   * @param now a monotonic clock in ms
   */
  constructor(
    hub: Hub<Seat<E>>,
    wire: EventWire<E> = plainWire<E>(),
    windowMs = 0,
    now: () => number = () => performance.now(),
  ) {
    this.#hub = hub;
    this.#wire = wire;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Events written to members (each event once per member). */
  get messagesSent(): number {
    return this.#sent;
  }

  /** Adds an event (in `seq` order within its room) to the room's pending frame. */
  add(room: string, event: E): void {
    const buffer = this.#buffers.get(room);
    if (buffer) buffer.push(event);
    else this.#buffers.set(room, [event]);
    if (this.#timer !== undefined) return;
    const wait = this.#windowMs === 0
      ? 0
      : Math.max(0, this.#flushedAt + this.#windowMs - this.#now());
    this.#timer = setTimeout(() => this.#flushAll(), wait);
  }

  /** Writes a room's pending frame now (before its stream restarts, say). */
  flush(room: string): void {
    const events = this.#buffers.get(room);
    if (!events) return;
    this.#buffers.delete(room);
    this.#write(room, events);
  }

  /** Forgets a room's pending frame. */
  drop(room: string): void {
    this.#buffers.delete(room);
  }

  /** Forgets every pending frame and stops the timer. */
  clear(): void {
    this.#buffers.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flushAll(): void {
    this.#timer = undefined;
    if (this.#windowMs > 0) this.#flushedAt = this.#now();
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
