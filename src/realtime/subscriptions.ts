/**
 * Local subscriptions by room: the delivery path every bus shares. A bus
 * hands each event it receives (published here or heard from elsewhere) to
 * {@linkcode Subscriptions.dispatch}; the first and the last subscriber of a
 * room are reported, so a bus that subscribes per room upstream (Redis) knows
 * when to.
 *
 * @module
 */

/** Anything a bus carries: it belongs to one room. */
export interface RoomEvent {
  readonly room: string;
}

/** Receives the events of one room. */
export type EventHandler<E extends RoomEvent> = (event: E) => void;

/** Hooks of {@linkcode Subscriptions}. */
export interface SubscriptionsOptions {
  /** A room gained its first subscriber. */
  onFirst?: (room: string) => void;
  /** A room lost its last subscriber (not called by {@linkcode Subscriptions.clear}). */
  onLast?: (room: string) => void;
}

/** Handlers by room, each added with a disposer. */
export class Subscriptions<E extends RoomEvent> {
  readonly #rooms = new Map<string, Set<EventHandler<E>>>();
  readonly #options: SubscriptionsOptions;

  constructor(options: SubscriptionsOptions = {}) {
    this.#options = options;
  }

  /**
   * Adds a handler for one room's events.
   *
   * @returns a disposer that removes it; calling it again does nothing
   */
  add(room: string, handler: EventHandler<E>): () => void {
    let handlers = this.#rooms.get(room);
    const first = handlers === undefined;
    if (!handlers) this.#rooms.set(room, handlers = new Set());
    // One entry per subscription, even when a handler is added twice.
    const entry: EventHandler<E> = (event) => handler(event);
    handlers.add(entry);
    if (first) this.#options.onFirst?.(room);
    const current = handlers;
    return () => {
      if (!current.delete(entry) || current.size > 0) return;
      if (this.#rooms.get(room) !== current) return;
      this.#rooms.delete(room);
      this.#options.onLast?.(room);
    };
  }

  /** Hands an event to every handler of its room, in the order they were added. */
  dispatch(event: E): void {
    const handlers = this.#rooms.get(event.room);
    if (!handlers) return;
    for (const handler of handlers) handler(event);
  }

  /** Whether a room has a handler. */
  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  /** The rooms with handlers. */
  rooms(): IterableIterator<string> {
    return this.#rooms.keys();
  }

  /** Drops every handler; disposers already handed out then do nothing. */
  clear(): void {
    this.#rooms.clear();
  }
}
