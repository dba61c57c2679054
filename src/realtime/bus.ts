/**
 * The bus: the only way an event fans out, even within one isolate.
 * Implementations: {@linkcode createMemoryBus} (this isolate),
 * {@linkcode createBroadcastChannelBus} (every isolate of this process) and
 * `createRedisBus` in `redis_bus.ts` (every process on one Redis). All deliver
 * through {@linkcode Subscriptions}, and all hand a published event to this
 * node's subscribers at once, before it reaches any other node.
 *
 * @module
 */
import type { ChatMessage } from "../model.ts";
import { type EventHandler, type RoomEvent, Subscriptions } from "./subscriptions.ts";

/** Receives the messages of one room. */
export type MessageHandler<E extends RoomEvent = ChatMessage> = EventHandler<E>;

/** Publishes stored events and hands them to every subscriber of their room. */
export interface Bus<E extends RoomEvent = ChatMessage> {
  /** Delivers to local subscribers now and to other nodes as the bus can. */
  publish(event: E): void;
  /** @returns a disposer that ends the subscription; calling it again does nothing */
  subscribe(room: string, handler: MessageHandler<E>): () => void;
  /** Stops delivering; publishing afterwards does nothing. Idempotent. */
  close(): void;
}

/** A bus that reaches this isolate only. */
export function createMemoryBus<E extends RoomEvent = ChatMessage>(): Bus<E> {
  const subscriptions = new Subscriptions<E>();
  return {
    publish: (event) => subscriptions.dispatch(event),
    subscribe: (room, handler) => subscriptions.add(room, handler),
    close: () => subscriptions.clear(),
  };
}

/**
 * A bus over a `BroadcastChannel`: it reaches every isolate of this process
 * (`deno serve --parallel`, workers) but not other processes. A channel never
 * hears its own posts, so local subscribers are served directly.
 *
 * @param name the channel name; isolates sharing it share rooms
 */
export function createBroadcastChannelBus<E extends RoomEvent = ChatMessage>(
  name = "deno-chat:messages",
): Bus<E> {
  const subscriptions = new Subscriptions<E>();
  const channel = new BroadcastChannel(name);
  let closed = false;
  channel.onmessage = (event: MessageEvent<E>) => subscriptions.dispatch(event.data);
  return {
    publish(event) {
      subscriptions.dispatch(event);
      if (!closed) channel.postMessage(event);
    },
    subscribe: (room, handler) => subscriptions.add(room, handler),
    close() {
      if (closed) return;
      closed = true;
      channel.close();
      subscriptions.clear();
    },
  };
}
