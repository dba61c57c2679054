/**
 * S1 fan-out across processes: one room, N anonymous subscribers spread over
 * the server processes, a few publishers sending at a fixed total rate. For
 * each setup it reports delivered messages/s, p50/p99 latency (publisher send
 * to subscriber receipt, one clock: the load runs in this process), and the
 * servers' CPU per delivered message read from `/proc/<pid>/stat`, with
 * Redis's own CPU shown apart.
 *
 * Setups: `one-sqlite` (one process, SQLite store, in-process bus: the
 * baseline), `one-redis` (one process, STORE=redis BUS=redis) and
 * `three-redis` (three processes on one Redis).
 *
 * ```sh
 * deno run -A bench/redis/fanout.ts --subscribers=300 --seconds=10 --rates=30,100
 * ```
 *
 * Bounded: every run stops by itself; everything listens on 127.0.0.1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type ChatProcess, startChatProcess } from "../../tests/redis/_chat_process.ts";
import { type RedisServer, startRedisServer } from "../../tests/redis/_redis_server.ts";

type SetupId = "one-sqlite" | "one-redis" | "three-redis";

interface Options {
  subscribers: number;
  publishers: number;
  seconds: number;
  warmupSeconds: number;
  rates: number[];
  setups: SetupId[];
  textBytes: number;
}

interface StepResult {
  setup: SetupId;
  processes: number;
  rate: number;
  sent: number;
  expected: number;
  delivered: number;
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuMs: number;
  serverUsPerDelivery: number;
  redisCpuMs: number;
  totalUsPerDelivery: number;
  loadgenCpuMs: number;
}

const CLOCK_TICKS = 100;
const say = (message: string) => console.error(`[redis-bench] ${message}`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: "string", default: "300" },
      publishers: { type: "string", default: "5" },
      seconds: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      rates: { type: "string", default: "30,100" },
      setups: { type: "string", default: "one-sqlite,one-redis,three-redis" },
      "text-bytes": { type: "string", default: "100" },
    },
  });
  const setups = values.setups.split(",").map((s) => s.trim()) as SetupId[];
  for (const s of setups) {
    if (!["one-sqlite", "one-redis", "three-redis"].includes(s)) {
      throw new Error(`Unknown setup "${s}"`);
    }
  }
  return {
    subscribers: Number(values.subscribers),
    publishers: Number(values.publishers),
    seconds: Number(values.seconds),
    warmupSeconds: Number(values.warmup),
    rates: values.rates.split(",").map(Number),
    setups,
    textBytes: Number(values["text-bytes"]),
  };
}

/** CPU time of a process (all threads) in milliseconds. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // Fields after the `(comm)`; utime and stime are the 14th and 15th overall.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS) * 1000;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function signIn(server: ChatProcess, username: string): Promise<string> {
  const body = JSON.stringify({ username, secret: "bench-secret" });
  const headers = { "content-type": "application/json" };
  const created = await fetch(`${server.url}/api/v1/users`, { method: "POST", headers, body });
  await created.body?.cancel();
  const login = await fetch(`${server.url}/api/v1/login`, { method: "POST", headers, body });
  if (login.status !== 200) throw new Error(`login failed: ${await login.text()}`);
  return (await login.json()).data.token;
}

function open(url: string, protocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

/** Shared measurement state for the subscribers' handlers. */
class Meter {
  windowStart = Infinity;
  windowEnd = Infinity;
  delivered = 0;
  latencies: number[] = [];

  receive(frame: string): void {
    const now = performance.now();
    for (const message of JSON.parse(frame) as { text: string }[]) {
      const sentAt = Number(message.text.slice(2, message.text.indexOf(" ")));
      if (sentAt < this.windowStart || sentAt >= this.windowEnd) continue;
      this.delivered++;
      this.latencies.push(now - sentAt);
    }
  }

  reset(start: number, end: number): void {
    this.windowStart = start;
    this.windowEnd = end;
    this.delivered = 0;
    this.latencies = [];
  }
}

async function runSetup(setup: SetupId, options: Options, redis: RedisServer | undefined) {
  const count = setup === "three-redis" ? 3 : 1;
  const dataDir = await Deno.makeTempDir({ prefix: "chat-redis-bench-" });
  const env: Record<string, string> = {
    JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123456789",
    PBKDF2_ITERATIONS: "1000",
    RATE_LIMIT_BURST: "1000000",
    RATE_LIMIT_PER_SEC: "1000000",
    MAX_SOCKETS_PER_ADDRESS: "0",
    LOG_LEVEL: "error",
    ...(setup === "one-sqlite"
      ? { STORE: "sqlite", DATABASE_PATH: `${dataDir}/chat.sqlite3`, BUS: "broadcast" }
      : { STORE: "redis", BUS: "redis", REDIS_URL: redis!.url }),
  };
  const servers: ChatProcess[] = [];
  const sockets: WebSocket[] = [];
  const results: StepResult[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startChatProcess(env));
    say(`${setup}: ${count} process(es) up`);
    const room = `bench-${setup}-${crypto.randomUUID().slice(0, 6)}`;
    const meter = new Meter();
    for (let i = 0; i < options.subscribers; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(i + 50, options.subscribers); j++) {
        batch.push(open(`${servers[j % count]!.wsUrl}/api/v1/rooms/${room}/ws`));
      }
      for (const ws of await Promise.all(batch)) {
        ws.onmessage = (event) => meter.receive(event.data as string);
        sockets.push(ws);
      }
    }
    const publishers: WebSocket[] = [];
    for (let i = 0; i < options.publishers; i++) {
      const token = await signIn(servers[i % count]!, `pub-${room}-${i}`);
      const ws = await open(`${servers[i % count]!.wsUrl}/api/v1/rooms/${room}/ws`, [token]);
      publishers.push(ws);
      sockets.push(ws);
    }
    say(`${setup}: ${options.subscribers} subscribers, ${options.publishers} publishers connected`);
    await pause(500);

    for (const rate of options.rates) {
      const padding = "x".repeat(Math.max(0, options.textBytes - 24));
      let sent = 0;
      let measuredSent = 0;
      const started = performance.now();
      const warmupEnd = started + options.warmupSeconds * 1000;
      const end = warmupEnd + options.seconds * 1000;
      meter.reset(warmupEnd, end);
      let cpuStart: number[] = [];
      let redisStart = 0;
      let loadStart = 0;
      let measuring = false;
      // Send on a 10 ms tick, as many as the rate owes by now.
      while (true) {
        const now = performance.now();
        if (now >= end) break;
        if (!measuring && now >= warmupEnd) {
          measuring = true;
          cpuStart = await Promise.all(servers.map((s) => cpuMs(s.pid)));
          redisStart = redis?.pid ? await cpuMs(redis.pid) : 0;
          loadStart = await cpuMs(Deno.pid);
        }
        const owed = Math.floor(((now - started) / 1000) * rate);
        while (sent < owed) {
          const at = performance.now();
          publishers[sent % publishers.length]!.send(
            JSON.stringify({ text: `t=${at} ${padding}` }),
          );
          if (at >= warmupEnd && at < end) measuredSent++;
          sent++;
        }
        await pause(10);
      }
      const cpuEnd = await Promise.all(servers.map((s) => cpuMs(s.pid)));
      const redisEnd = redis?.pid ? await cpuMs(redis.pid) : 0;
      const loadEnd = await cpuMs(Deno.pid);
      await pause(2000); // Drain: late deliveries of window messages still count.
      const serverCpuMs = cpuEnd.reduce((sum, v, i) => sum + v - cpuStart[i]!, 0);
      const redisCpuMs = setup === "one-sqlite" ? 0 : redisEnd - redisStart;
      const sorted = Float64Array.from(meter.latencies).sort();
      const delivered = meter.delivered;
      const result: StepResult = {
        setup,
        processes: count,
        rate,
        sent: measuredSent,
        expected: measuredSent * options.subscribers,
        delivered,
        deliveredPerSec: Math.round(delivered / options.seconds),
        p50Ms: Number(percentile(sorted, 0.5).toFixed(1)),
        p99Ms: Number(percentile(sorted, 0.99).toFixed(1)),
        maxMs: Number((sorted[sorted.length - 1] ?? NaN).toFixed(1)),
        serverCpuMs: Math.round(serverCpuMs),
        serverUsPerDelivery: Number(((serverCpuMs * 1000) / delivered).toFixed(2)),
        redisCpuMs: Math.round(redisCpuMs),
        totalUsPerDelivery: Number((((serverCpuMs + redisCpuMs) * 1000) / delivered).toFixed(2)),
        loadgenCpuMs: Math.round(loadEnd - loadStart),
      };
      say(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    for (const ws of sockets) {
      try {
        ws.close();
      } catch {
        // Already closed.
      }
    }
    for (const server of servers) await server.kill("SIGTERM");
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  return results;
}

function table(results: StepResult[], options: Options): string {
  const lines = [
    `| setup | processes | msg/s in | deliveries/s | expected/s | p50 ms | p99 ms | server CPU µs/delivery | + Redis µs/delivery | Redis CPU ms | load-gen CPU ms |`,
    `|---|---|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const r of results) {
    lines.push(
      `| ${r.setup} | ${r.processes} | ${r.rate} | ${r.deliveredPerSec} | ${
        Math.round(r.expected / options.seconds)
      } | ${r.p50Ms} | ${r.p99Ms} | ${r.serverUsPerDelivery} | ${r.totalUsPerDelivery} | ${r.redisCpuMs} | ${r.loadgenCpuMs} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  const loadBefore = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  const needsRedis = options.setups.some((s) => s !== "one-sqlite");
  const redis = needsRedis ? await startRedisServer({ appendfsync: "always" }) : undefined;
  const results: StepResult[] = [];
  try {
    for (const setup of options.setups) results.push(...await runSetup(setup, options, redis));
  } finally {
    await redis?.dispose();
  }
  const loadAfter = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  console.log(JSON.stringify({ options, loadBefore, loadAfter, results }, null, 2));
  console.log(table(results, options));
}
