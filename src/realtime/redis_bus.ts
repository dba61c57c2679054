/**
 * A bus over Redis pub/sub: it reaches every process connected to the same
 * Redis. Each room is one channel, subscribed while this node has local
 * subscribers in it.
 *
 * Delivery is at least once and may run out of order; the hub puts messages
 * back into `seq` order and drops duplicates. To lose nothing across a Redis
 * outage the bus:
 * - delivers to local subscribers at once, before and whatever `PUBLISH` does;
 * - skips its own messages coming back from Redis (each carries the node id);
 * - keeps messages whose `PUBLISH` failed (bounded) and publishes them again
 *   when the connection is back;
 * - after each (re)subscription, asks `catchUp` for the room's messages it may
 *   have missed meanwhile and delivers them.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { ChatMessage } from "../model.ts";
import type { RedisClient } from "../redis/connection.ts";
import type { Store } from "../store/store.ts";
import type { Bus, MessageHandler } from "./bus.ts";

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
  /**
   * The room's stored messages after `after` (or its latest few when
   * `undefined`), oldest first. Called after each (re)subscription.
   */
  readonly catchUp?: (room: string, after: number | undefined) => Promise<ChatMessage[]>;
  /** The most unpublished messages kept for a retry; default 10,000. */
  readonly maxRetained?: number;
}

interface RoomState {
  readonly handlers: Set<MessageHandler>;
  readonly listener: (raw: string) => void;
  /** Highest `seq` handed to the handlers. */
  lastSeq: number | undefined;
}

const CATCH_UP_PAGES = 100;
const CATCH_UP_PAGE = 1000;
const CATCH_UP_LATEST = 20;
const CATCH_UP_RETRY_MS = 1000;

/** A `catchUp` for {@linkcode createRedisBus} that reads the store's room logs. */
export function catchUpFromStore(
  store: Pick<Store, "listMessages">,
): (room: string, after: number | undefined) => Promise<ChatMessage[]> {
  return (room, after) =>
    store.listMessages(
      room,
      after === undefined
        ? { limit: CATCH_UP_LATEST }
        : { after, from: "oldest", limit: CATCH_UP_PAGE },
    );
}

/** Creates a bus over Redis pub/sub. */
export function createRedisBus(options: RedisBusOptions): Bus {
  const { publisher, subscriber, logger } = options;
  const prefix = options.channelPrefix ?? "chat:room:";
  const nodeId = options.nodeId ?? crypto.randomUUID();
  const maxRetained = options.maxRetained ?? 10_000;
  const rooms = new Map<string, RoomState>();
  let retained: string[][] = [];
  let closed = false;
  let subscriberWasDown = false;
  let publishFailing = false;

  const dispatch = (room: RoomState, message: ChatMessage) => {
    if (room.lastSeq === undefined || message.seq > room.lastSeq) room.lastSeq = message.seq;
    for (const handler of [...room.handlers]) handler(message);
  };

  const retain = (channel: string, payload: string) => {
    retained.push([channel, payload]);
    if (retained.length > maxRetained) {
      retained.splice(0, retained.length - maxRetained);
      logger.warn("Redis bus dropped unpublished messages; readers recover from the store");
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

  const flushRetained = () => {
    if (closed || retained.length === 0) return;
    const batch = retained;
    retained = [];
    for (const [channel, payload] of batch) send(channel!, payload!);
  };

  const catchUp = async (name: string) => {
    if (!options.catchUp) return;
    for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const room = rooms.get(name);
      if (closed || !room) return;
      const after = room.lastSeq;
      const missed = await options.catchUp(name, after);
      if (rooms.get(name) !== room) return;
      for (const message of missed) dispatch(room, message);
      // An empty room: later catch-ups read it from the start.
      if (room.lastSeq === undefined) room.lastSeq = 0;
      // A page from `undefined` is the latest few; a short page is the end.
      if (after === undefined || missed.length === 0 || room.lastSeq === after) return;
    }
  };

  const catchUpLogged = (name: string, attempt = 0) => {
    catchUp(name).catch((error) => {
      logger.warn("Cannot catch up a room after subscribing", { room: name, error });
      if (attempt < 5 && !closed) {
        const timer = setTimeout(() => catchUpLogged(name, attempt + 1), CATCH_UP_RETRY_MS);
        Deno.unrefTimer(timer);
      }
    });
  };

  const onPublisherReady = () => flushRetained();
  const onSubscriberError = () => {
    subscriberWasDown = true;
  };
  // The client restores every subscription before it emits `ready` again.
  const onSubscriberReady = () => {
    if (!subscriberWasDown || closed) return;
    subscriberWasDown = false;
    for (const name of rooms.keys()) catchUpLogged(name);
  };
  publisher.on("ready", onPublisherReady);
  subscriber.on("error", onSubscriberError);
  subscriber.on("ready", onSubscriberReady);

  const unsubscribe = (name: string, room: RoomState) => {
    subscriber.unsubscribe(prefix + name, room.listener).catch((error: unknown) => {
      logger.debug("Cannot unsubscribe from a room channel", { room: name, error });
    });
  };

  return {
    publish(message) {
      const room = rooms.get(message.room);
      if (room) dispatch(room, message);
      if (closed) return;
      // `<node id> <message JSON>`: a node skips its own without parsing them.
      send(prefix + message.room, `${nodeId} ${JSON.stringify(message)}`);
    },

    subscribe(name, handler) {
      let room = rooms.get(name);
      if (!room) {
        const state: RoomState = {
          handlers: new Set(),
          lastSeq: undefined,
          listener: (raw: string) => {
            const space = raw.indexOf(" ");
            if (raw.slice(0, space) === nodeId || rooms.get(name) !== state) return;
            let message: ChatMessage;
            try {
              message = JSON.parse(raw.slice(space + 1)) as ChatMessage;
            } catch (error) {
              logger.warn("Ignoring a malformed message on a room channel", { room: name, error });
              return;
            }
            dispatch(state, message);
          },
        };
        room = state;
        rooms.set(name, state);
        if (!closed) {
          subscriber.subscribe(prefix + name, state.listener).then(
            () => catchUpLogged(name),
            (error: unknown) =>
              logger.warn("Cannot subscribe to a room channel", { room: name, error }),
          );
        }
      }
      const current = room;
      current.handlers.add(handler);
      return () => {
        if (!current.handlers.delete(handler) || current.handlers.size > 0) return;
        if (rooms.get(name) !== current) return;
        rooms.delete(name);
        if (!closed) unsubscribe(name, current);
      };
    },

    close() {
      if (closed) return;
      closed = true;
      publisher.off("ready", onPublisherReady);
      subscriber.off("error", onSubscriberError);
      subscriber.off("ready", onSubscriberReady);
      for (const [name, room] of rooms) unsubscribe(name, room);
      rooms.clear();
      retained = [];
    },
  };
}
