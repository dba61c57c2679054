/**
 * The bus: the only way a message fans out, even within one isolate.
 * Implementations: {@linkcode createMemoryBus} (this isolate) and
 * {@linkcode createBroadcastChannelBus} (every isolate of this process).
 *
 * @module
 */
import type { ChatMessage } from "../model.ts";

/** Receives the messages of one room. */
export type MessageHandler = (message: ChatMessage) => void;

/** Publishes stored messages and hands them to every subscriber of their room. */
export interface Bus {
  /** Delivers to local subscribers now and to other nodes as the bus can. */
  publish(message: ChatMessage): void;
  /** @returns a disposer that ends the subscription */
  subscribe(room: string, handler: MessageHandler): () => void;
  close(): void;
}

/** Local subscriptions by room; the delivery path shared by every bus. */
class Subscriptions {
  readonly #rooms = new Map<string, Set<MessageHandler>>();

  add(room: string, handler: MessageHandler): () => void {
    let handlers = this.#rooms.get(room);
    if (!handlers) this.#rooms.set(room, handlers = new Set());
    handlers.add(handler);
    return () => {
      const set = this.#rooms.get(room);
      if (!set) return;
      set.delete(handler);
      if (set.size === 0) this.#rooms.delete(room);
    };
  }

  dispatch(message: ChatMessage): void {
    const handlers = this.#rooms.get(message.room);
    if (!handlers) return;
    for (const handler of handlers) handler(message);
  }

  clear(): void {
    this.#rooms.clear();
  }
}

/** A bus that reaches this isolate only. */
export function createMemoryBus(): Bus {
  const subscriptions = new Subscriptions();
  return {
    publish: (message) => subscriptions.dispatch(message),
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
export function createBroadcastChannelBus(name = "deno-chat:messages"): Bus {
  const subscriptions = new Subscriptions();
  const channel = new BroadcastChannel(name);
  let closed = false;
  channel.onmessage = (event: MessageEvent<ChatMessage>) => subscriptions.dispatch(event.data);
  return {
    publish(message) {
      subscriptions.dispatch(message);
      if (!closed) channel.postMessage(message);
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
