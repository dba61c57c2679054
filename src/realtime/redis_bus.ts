/**
 * A bus over Redis pub/sub: it reaches every process connected to the same
 * Redis. Each room is two channels, each subscribed while this node has local
 * subscribers of it: `<prefix><room>` for logged events and
 * `<prefix><room>/signals` for ephemeral signals (a room name has no `/`, so
 * the two never meet). Signals are sent at most once: one whose `PUBLISH`
 * cannot be sent is dropped.
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
import type { LoggedEvent } from "../model.ts";
import type { RedisClient } from "../redis/connection.ts";
import type { Bus } from "./bus.ts";
import { isSignal, type Signal } from "./signal.ts";
import { type RoomEvent, Subscriptions } from "./subscriptions.ts";

/** What follows a room's name in the name of its signal channel. */
const SIGNALS_SUFFIX = "/signals";

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
export interface RedisBus<E extends RoomEvent = LoggedEvent> extends Bus<E> {
  /** Resolves once every `SUBSCRIBE` and `UNSUBSCRIBE` sent so far has been answered. */
  settled(): Promise<void>;
}

/** The payload after `<node id> ` when it is not this node's own; `undefined` to skip it. */
function foreignPayload(raw: string, nodeId: string): string | undefined {
  const space = raw.indexOf(" ");
  // A node skips its own events without parsing them.
  if (space < 0 || raw.slice(0, space) === nodeId) return undefined;
  return raw.slice(space + 1);
}

/** Whether a parsed payload has the shape every bus event has. */
function isRoomEvent(value: unknown, room: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { room: inRoom, seq } = value as { room?: unknown; seq?: unknown };
  return inRoom === room && (seq === undefined || Number.isSafeInteger(seq));
}

/** Creates a bus over Redis pub/sub. */
export function createRedisBus<E extends RoomEvent = LoggedEvent>(
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
    const payload = foreignPayload(raw, nodeId);
    if (payload === undefined) return;
    const room = channel.slice(prefix.length);
    if (!subscriptions.has(room)) return;
    let event: unknown;
    try {
      event = JSON.parse(payload);
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

  /** One listener for every signal channel: `<node id> <signal JSON>`. */
  const signalListener = (raw: string, channel: string) => {
    const payload = foreignPayload(raw, nodeId);
    if (payload === undefined) return;
    const room = channel.slice(prefix.length, -SIGNALS_SUFFIX.length);
    if (!signals.has(room)) return;
    let signal: unknown;
    try {
      signal = JSON.parse(payload);
    } catch (error) {
      logger.warn("Ignoring a malformed signal on a room's signal channel", { room, error });
      return;
    }
    if (!isSignal(signal, room)) {
      logger.warn("Ignoring a signal of another shape on a room's signal channel", { room });
      return;
    }
    signals.dispatch(signal);
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
  const signalChannel = (room: string) => prefix + room + SIGNALS_SUFFIX;
  const signals = new Subscriptions<Signal>({
    onFirst: (room) => {
      if (!closed) track(true, room, subscriber.subscribe(signalChannel(room), signalListener));
    },
    onLast: (room) => {
      if (!closed) track(false, room, subscriber.unsubscribe(signalChannel(room), signalListener));
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

    signal(signal) {
      signals.dispatch(signal);
      if (closed || !publisher.isReady) return;
      publisher.publish(signalChannel(signal.room), `${nodeId} ${JSON.stringify(signal)}`)
        .catch((error: unknown) => logger.debug("Cannot publish a signal; dropped", { error }));
    },

    subscribeSignals: (room, handler) => signals.add(room, handler),

    settled: async () => {
      await Promise.all([...inFlight]);
    },

    close() {
      if (closed) return;
      for (const room of subscriptions.rooms()) {
        track(false, room, subscriber.unsubscribe(prefix + room, listener));
      }
      for (const room of signals.rooms()) {
        track(false, room, subscriber.unsubscribe(signalChannel(room), signalListener));
      }
      closed = true;
      publisher.off("ready", onPublisherReady);
      subscriptions.clear();
      signals.clear();
      retained = [];
    },
  };
}
