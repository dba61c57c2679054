/**
 * The bus: the only way an event fans out, even within one isolate. It has
 * two channels per room: logged events (messages, edits, deletes: they carry
 * a `seq`, and each room's stream orders them and fills gaps from the store)
 * and ephemeral {@linkcode Signal}s (presence, typing, read: never retained,
 * never replayed).
 *
 * Implementations: {@linkcode createMemoryBus} (this isolate),
 * {@linkcode createBroadcastChannelBus} (every isolate of this process) and
 * `createRedisBus` in `redis_bus.ts` (every process on one Redis). All deliver
 * through {@linkcode Subscriptions}, and all hand a published event or signal
 * to this node's subscribers at once, before it reaches any other node.
 *
 * @module
 */
import type { LoggedEvent } from "../model.ts";
import type { Signal } from "./signal.ts";
import { type EventHandler, type RoomEvent, Subscriptions } from "./subscriptions.ts";

/** Receives the messages of one room. */
export type MessageHandler<E extends RoomEvent = LoggedEvent> = EventHandler<E>;

/** Receives the ephemeral signals of one room. */
export type SignalHandler = EventHandler<Signal>;

/** Publishes stored events and ephemeral signals and hands them to every subscriber of their room. */
export interface Bus<E extends RoomEvent = LoggedEvent> {
  /** Delivers to local subscribers now and to other nodes as the bus can. */
  publish(event: E): void;
  /** @returns a disposer that ends the subscription; calling it again does nothing */
  subscribe(room: string, handler: MessageHandler<E>): () => void;
  /**
   * Delivers an ephemeral signal to local subscribers now and to other nodes
   * at most once: a signal that cannot be sent is dropped, never retained.
   */
  signal(signal: Signal): void;
  /** @returns a disposer that ends the subscription to a room's signals; calling it again does nothing */
  subscribeSignals(room: string, handler: SignalHandler): () => void;
  /**
   * Resolves once every subscription made so far hears other nodes (at once
   * for the buses within one process).
   */
  settled(): Promise<void>;
  /** Stops delivering; publishing afterwards does nothing. Idempotent. */
  close(): void;
}

/** A bus that reaches this isolate only. */
export function createMemoryBus<E extends RoomEvent = LoggedEvent>(): Bus<E> {
  const subscriptions = new Subscriptions<E>();
  const signals = new Subscriptions<Signal>();
  return {
    publish: (event) => subscriptions.dispatch(event),
    subscribe: (room, handler) => subscriptions.add(room, handler),
    signal: (signal) => signals.dispatch(signal),
    subscribeSignals: (room, handler) => signals.add(room, handler),
    settled: () => Promise.resolve(),
    close: () => {
      subscriptions.clear();
      signals.clear();
    },
  };
}

/**
 * A bus over two `BroadcastChannel`s (events, and signals on `<name>:signals`):
 * it reaches every isolate of this process (`deno serve --parallel`, workers)
 * but not other processes. A channel never hears its own posts, so local
 * subscribers are served directly.
 *
 * @param name the channel name; isolates sharing it share rooms
 */
export function createBroadcastChannelBus<E extends RoomEvent = LoggedEvent>(
  name = "deno-chat:messages",
): Bus<E> {
  const subscriptions = new Subscriptions<E>();
  const signals = new Subscriptions<Signal>();
  const channel = new BroadcastChannel(name);
  const signalChannel = new BroadcastChannel(`${name}:signals`);
  let closed = false;
  channel.onmessage = (event: MessageEvent<E>) => subscriptions.dispatch(event.data);
  signalChannel.onmessage = (event: MessageEvent<Signal>) => signals.dispatch(event.data);
  return {
    publish(event) {
      subscriptions.dispatch(event);
      if (!closed) channel.postMessage(event);
    },
    subscribe: (room, handler) => subscriptions.add(room, handler),
    signal(signal) {
      signals.dispatch(signal);
      if (!closed) signalChannel.postMessage(signal);
    },
    subscribeSignals: (room, handler) => signals.add(room, handler),
    settled: () => Promise.resolve(),
    close() {
      if (closed) return;
      closed = true;
      channel.close();
      signalChannel.close();
      subscriptions.clear();
      signals.clear();
    },
  };
}
