/**
 * Helpers of the v2 client tests: signed-in clients, and a connection that
 * records every typed event it delivers.
 *
 * @module
 */
import {
  ChatClient,
  type ConnectionStatus,
  type JoinOptions,
  type RoomConnection,
  type RoomEventMap,
} from "../../src/client/chat_client.js";

/** Lifts the rate limit so a test can send quickly. */
export const FAST = { RATE_LIMIT_BURST: "10000", RATE_LIMIT_PER_SEC: "10000" };

/** Signs up and logs in a fresh client. */
export async function signedIn(
  url: string,
  username: string,
  options: ConstructorParameters<typeof ChatClient>[0] = {},
): Promise<ChatClient> {
  const client = new ChatClient({ baseUrl: url, ...options });
  await client.signUp(username, "correct horse");
  await client.login(username, "correct horse");
  return client;
}

/** Every event type a connection emits. */
const TYPES = [
  "message",
  "edit",
  "delete",
  "presence",
  "join",
  "leave",
  "typing",
  "read",
  "status",
  "error",
] as const satisfies ReadonlyArray<keyof RoomEventMap>;

/** What a recorded connection saw, in order, as `[type, value]`. */
export type Seen = Array<{ [K in keyof RoomEventMap]: [K, RoomEventMap[K]] }[keyof RoomEventMap]>;

/** A joined room that records every event. */
export interface Recorder extends AsyncDisposable {
  readonly connection: RoomConnection;
  readonly seen: Seen;
  /** The values of one type, in order. */
  of<K extends keyof RoomEventMap>(type: K): RoomEventMap[K][];
  /** Waits (bounded) until `done` holds. */
  until(done: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Waits until the connection is in `state`. */
  waitForState(state: ConnectionStatus["state"], timeoutMs?: number): Promise<void>;
}

/** Joins with v2 (unless told otherwise) and records everything. */
export function record(client: ChatClient, room: string, options: JoinOptions = {}): Recorder {
  const seen: Seen = [];
  const connection = client.join(room, {
    v2: true,
    minReconnectDelayMs: 20,
    maxReconnectDelayMs: 200,
    ...options,
  });
  const listen = <K extends keyof RoomEventMap>(type: K) =>
    connection.on(type, (value) => {
      seen.push([type, value] as Seen[number]);
    });
  for (const type of TYPES) listen(type);
  const until = async (done: () => boolean, what: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    connection,
    seen,
    of: <K extends keyof RoomEventMap>(type: K) =>
      seen.filter(([t]) => t === type).map(([, value]) => value as RoomEventMap[K]),
    until,
    waitForState: (state, timeoutMs) =>
      until(() => connection.state === state, `state ${state}`, timeoutMs),
    [Symbol.asyncDispose]: () => connection.close(),
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
