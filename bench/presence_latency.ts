/**
 * The latency of protocol v2's `join` (and `leave`) events across two server
 * processes on the Redis bus (STORE=redis, BUS=redis, one `redis-server`):
 * a watcher joins a room on process one; a user then opens a v2 socket to
 * the room on process two, and the time until the watcher receives that
 * user's `join` is measured, then the same for its `leave` after the socket
 * closes. Bounded: `--joins` rounds (default 200), each waiting at most 5 s.
 * Writes p50 / p99 / max into `bench/V2_RESULTS.md`.
 *
 * Two figures per join: from the joiner's connect (its TCP and WebSocket
 * handshake, the token check, the signal over Redis) and from the joiner's
 * `open` event (the 101 received: about when the server announced it).
 *
 * `deno run -A bench/presence_latency.ts [--joins=200] [--users=20]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { startChatProcess } from "../tests/redis/_chat_process.ts";
import { signIn } from "../tests/_helpers/server.ts";
import { startBenchRedis } from "./sockets_redis.ts";
import { quantile, table, writeSection } from "./v2_results.ts";

const say = (message: string) => console.error(`[presence] ${message}`);
const WAIT_MS = 5000;

/** A v2 socket that hands every event it receives to `onEvent`. */
function open(
  url: string,
  token: string,
  onEvent: (event: { type: string; user?: { username: string } }) => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, [token]);
    socket.onmessage = (e) => {
      for (const event of JSON.parse(e.data)) onEvent(event);
    };
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error(`cannot open ${url}`));
  });
}

/** Waits for a condition that the watcher's events make true; rejects after `WAIT_MS`. */
function waiter() {
  let wake: (() => void) | undefined;
  return {
    notify: () => wake?.(),
    until(check: () => boolean, what: string): Promise<void> {
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} in ${WAIT_MS} ms`)), WAIT_MS);
        wake = () => {
          if (!check()) return;
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      joins: { type: "string", default: "200" },
      users: { type: "string", default: "20" },
    },
  });
  const joins = Number(values.joins);
  const userCount = Number(values.users);
  await using redis = await startBenchRedis();
  const env = {
    STORE: "redis",
    BUS: "redis",
    REDIS_URL: redis.url,
    PBKDF2_ITERATIONS: "1000",
    JWT_SECRET: `presence-bench-${crypto.randomUUID()}`,
    LOG_LEVEL: "error",
    LOGIN_RATE_LIMIT: "0",
    LOGIN_USER_RATE_LIMIT: "0",
    SIGNUP_RATE_LIMIT: "0",
  };
  const one = await startChatProcess(env);
  const two = await startChatProcess(env);
  try {
    const path = "/api/v1/rooms/presence-bench/ws?v=2";
    const tokens: string[] = [];
    for (let i = 0; i < userCount; i++) tokens.push((await signIn(two, `joiner${i}`)).token);
    const seen: string[] = [];
    const events = waiter();
    let present = false;
    const watcher = await open(`${one.wsUrl}${path}`, (await signIn(one, "watcher")).token, (e) => {
      if (e.type === "presence") present = true;
      if ((e.type === "join" || e.type === "leave") && e.user) {
        seen.push(`${e.type} ${e.user.username}`);
      }
      events.notify();
    });
    // Joined once its presence arrived: from then on joins are announced.
    await events.until(() => present, "presence snapshot");
    const fromConnect: number[] = [];
    const fromOpen: number[] = [];
    const leaves: number[] = [];
    say(`${joins} joins of ${userCount} users on process two, watched on process one`);
    for (let i = 0; i < joins; i++) {
      const name = `joiner${i % userCount}`;
      const before = seen.length;
      const arrived = (kind: string) => () => seen.slice(before).includes(`${kind} ${name}`);
      const connectAt = performance.now();
      const socket = await open(`${two.wsUrl}${path}`, tokens[i % userCount]!, () => {});
      const openAt = performance.now();
      await events.until(arrived("join"), `join of ${name}`);
      const joinedAt = performance.now();
      fromConnect.push(joinedAt - connectAt);
      fromOpen.push(joinedAt - openAt);
      const closeAt = performance.now();
      socket.close();
      await events.until(arrived("leave"), `leave of ${name}`);
      leaves.push(performance.now() - closeAt);
    }
    watcher.close();
    const row = (label: string, samples: number[]) => [
      label,
      samples.length,
      quantile(samples, 0.5),
      quantile(samples, 0.99),
      quantile(samples, 1),
    ];
    const rows = [
      row("join, from the joiner's connect", fromConnect),
      row("join, from the joiner's open", fromOpen),
      row("leave, from the joiner's close", leaves),
    ];
    say(`join p50 ${quantile(fromConnect, 0.5)} ms, p99 ${quantile(fromConnect, 0.99)} ms`);
    await writeSection("presence", "Presence: a `join` event across two processes (Redis bus)", [
      "Two server processes (STORE=redis, BUS=redis) on one local `redis-server`. A watcher's",
      "v2 socket is on process one; a user opens a v2 socket on process two and the time",
      "until the watcher has that user's `join` is measured, then the `leave` after the socket",
      `closes; ${joins} rounds, ${userCount} users in turn. Latency in ms.`,
      "",
      ...table(["event", "count", "p50", "p99", "max"], rows),
      "",
    ]);
    say("wrote bench/V2_RESULTS.md");
  } finally {
    await one.kill("SIGTERM");
    await two.kill("SIGTERM");
  }
}

if (import.meta.main) await main();
