/**
 * A bus over Redis pub/sub: it reaches every process connected to the same
 * Redis. Each room is one channel, subscribed while this node has local
 * subscribers in it.
 *
 * Delivery is at least once and may run out of order or miss events across an
 * outage; each room's stream (`room_stream.ts`) puts events back into `seq`
 * order, drops duplicates, fills gaps from the store and checks quiet rooms
 * against the store, so the bus itself reads no store. To lose as little as
 * possible live, the bus:
 * - delivers to local subscribers at once, before and whatever `PUBLISH` does;
 * - skips its own events coming back from Redis (each carries the node id);
 * - keeps events whose `PUBLISH` failed (bounded) and publishes them again
 *   when the connection is back.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { ChatMessage } from "../model.ts";
import type { RedisClient } from "../redis/connection.ts";
import type { Bus } from "./bus.ts";
import { type RoomEvent, Subscriptions } from "./subscriptions.ts";

/** Options for {@linkcode createRedisBus}. */
export interface RedisBusOptions {
  /** A connected command client used to `PUBLISH`; the bus does not close it. */
  readonly publisher: RedisClient;
  /** A connected client used only for pub/sub; the bus does not close it. */
  readonly subscriber: RedisClient;
  readonly logger: Logger;
  /** Prepended to each room's channel name; default `chat:room:`. */
  readonly channelPrefix?: string;
  /** This node's id, without white space; default a random UUID. */
  readonly nodeId?: string;
  /** The most unpublished events kept for a retry; default 10,000. */
  readonly maxRetained?: number;
}

/** A bus over Redis pub/sub. */
export interface RedisBus<E extends RoomEvent = ChatMessage> extends Bus<E> {
  /** Resolves once every `SUBSCRIBE` and `UNSUBSCRIBE` sent so far has been answered. */
  settled(): Promise<void>;
}

/** Whether a parsed payload has the shape every bus event has. */
function isRoomEvent(value: unknown, room: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { room: inRoom, seq } = value as { room?: unknown; seq?: unknown };
  return inRoom === room && (seq === undefined || Number.isSafeInteger(seq));
}

/** Creates a bus over Redis pub/sub. */
export function createRedisBus<E extends RoomEvent = ChatMessage>(
  options: RedisBusOptions,
): RedisBus<E> {
  const { publisher, subscriber, logger } = options;
  const prefix = options.channelPrefix ?? "chat:room:";
  const nodeId = options.nodeId ?? crypto.randomUUID();
  const maxRetained = options.maxRetained ?? 10_000;
  let retained: string[][] = [];
  let closed = false;
  let publishFailing = false;
  const inFlight = new Set<Promise<unknown>>();

  /** One listener for every room channel: `<node id> <event JSON>`. */
  const listener = (raw: string, channel: string) => {
    const space = raw.indexOf(" ");
    // A node skips its own events without parsing them.
    if (space < 0 || raw.slice(0, space) === nodeId) return;
    const room = channel.slice(prefix.length);
    if (!subscriptions.has(room)) return;
    let event: unknown;
    try {
      event = JSON.parse(raw.slice(space + 1));
    } catch (error) {
      logger.warn("Ignoring a malformed event on a room channel", { room, error });
      return;
    }
    if (!isRoomEvent(event, room)) {
      logger.warn("Ignoring an event of another shape on a room channel", { room });
      return;
    }
    subscriptions.dispatch(event as E);
  };

  /** Keeps a (un)subscription in flight for {@linkcode RedisBus.settled}. */
  const track = (subscribing: boolean, room: string, command: Promise<unknown>) => {
    const done = command.catch((error: unknown) => {
      // A failed UNSUBSCRIBE leaves a channel whose events nobody takes: harmless.
      if (subscribing) logger.warn("Cannot subscribe to a room channel", { room, error });
      else logger.debug("Cannot unsubscribe from a room channel", { room, error });
    });
    inFlight.add(done);
    done.finally(() => inFlight.delete(done));
  };

  const subscriptions = new Subscriptions<E>({
    onFirst: (room) => {
      if (!closed) track(true, room, subscriber.subscribe(prefix + room, listener));
    },
    onLast: (room) => {
      if (!closed) track(false, room, subscriber.unsubscribe(prefix + room, listener));
    },
  });

  const retain = (channel: string, payload: string) => {
    retained.push([channel, payload]);
    if (retained.length > maxRetained) {
      retained.splice(0, retained.length - maxRetained);
      logger.warn("Redis bus dropped unpublished events; readers recover from the store");
    }
  };

  const send = (channel: string, payload: string) => {
    if (!publisher.isReady) return retain(channel, payload);
    publisher.publish(channel, payload).then(
      () => {
        publishFailing = false;
      },
      (error: unknown) => {
        if (!publishFailing) logger.warn("Cannot publish to Redis; will retry", { error });
        publishFailing = true;
        if (!closed) retain(channel, payload);
      },
    );
  };

  const onPublisherReady = () => {
    if (closed || retained.length === 0) return;
    const batch = retained;
    retained = [];
    for (const [channel, payload] of batch) send(channel!, payload!);
  };
  publisher.on("ready", onPublisherReady);

  return {
    publish(event) {
      subscriptions.dispatch(event);
      if (closed) return;
      send(prefix + event.room, `${nodeId} ${JSON.stringify(event)}`);
    },

    subscribe: (room, handler) => subscriptions.add(room, handler),

    settled: async () => {
      await Promise.all([...inFlight]);
    },

    close() {
      if (closed) return;
      for (const room of subscriptions.rooms()) {
        track(false, room, subscriber.unsubscribe(prefix + room, listener));
      }
      closed = true;
      publisher.off("ready", onPublisherReady);
      subscriptions.clear();
      retained = [];
    },
  };
}
