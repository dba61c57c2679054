/**
 * S6, `deno task bench:sockets`: as many sockets as this machine allows.
 * The open-file limit is 20,000 per process (hard), so:
 *
 * - `ours`, `floor`, `bun`: 19,000 sockets on one server process, 10,000 of
 *   them in one room receiving 1 message/s, the rest idle across 1,000 rooms;
 * - `ours-redis`: 55,000 sockets across three of our server processes on the
 *   Redis engine (STORE=redis BUS=redis, a `redis-server` this run starts on
 *   loopback), 10,000 of them in the busy room (a third on each process, so
 *   every message crosses Redis), the rest idle across 1,000 rooms;
 * - `floor-3`: the same 55,000 on three floor processes, for memory only (the
 *   floor has no fan-out across processes, so its busy room reaches only the
 *   publisher's process).
 *
 * The sockets are held by several client processes
 * (`peers/sockets_worker.mjs`), each leaving from its own loopback address
 * (127.0.0.2, 127.0.0.3, …), so no address runs out of ephemeral ports. It
 * reports connects/s, RSS per socket against the floor at the same count,
 * delivery p99 and loss, and writes `bench/SOCKETS.md` and
 * `bench/sockets.json`. Every loop is bounded in count and time; servers
 * listen on 127.0.0.1.
 *
 * ```sh
 * deno task bench:sockets
 * deno task bench:sockets --quick
 * deno task bench:sockets --setups=ours,floor --one-sockets=5000 --one-big=2000
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ensurePeers, machineInfo, output, readText } from "./machine.ts";
import { Histogram, round } from "./peers/histogram.mjs";
import { signIn } from "../tests/_helpers/server.ts";
import { renderSocketsReport } from "./sockets_report.ts";
import type { SetupId, SetupResult, SocketsResults } from "./sockets_results.ts";
import { type BenchRedis, startBenchRedis } from "./sockets_redis.ts";
import { SocketsWorker } from "./sockets_worker_process.ts";
import { oursEnv, REPO_ROOT, type RunningServer, type ServerKind, startServer } from "./servers.ts";
import type { Failure } from "./results.ts";

const say = (message: string) => console.error(`[sockets] ${message}`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const ALL_SETUPS: readonly SetupId[] = ["ours", "floor", "bun", "ours-redis", "floor-3"];

/** Sizes: `[full, quick]`. */
const SIZES = {
  "one-sockets": [19_000, 2_000],
  "one-big": [10_000, 1_000],
  "three-sockets": [55_000, 3_000],
  "three-big": [10_000, 1_000],
  "idle-rooms": [1_000, 100],
  "one-workers": [2, 2],
  "three-workers": [4, 3],
  concurrency: [64, 32],
  rate: [1, 1],
  seconds: [20, 5],
  "text-bytes": [100, 100],
  "settle-ms": [2_000, 1_000],
  "drain-ms": [10_000, 5_000],
  "quiet-ms": [5_000, 2_000],
} as const;

type SizeName = keyof typeof SIZES;

interface Options {
  quick: boolean;
  setups: SetupId[];
  sizes: Record<SizeName, number>;
  out: string;
  json: string;
}

function parseOptions(args: string[]): Options {
  const sizeOptions = Object.fromEntries(
    Object.keys(SIZES).map((name) => [name, { type: "string" as const }]),
  );
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: "boolean", default: false },
      setups: { type: "string", default: ALL_SETUPS.join(",") },
      out: { type: "string", default: "bench/SOCKETS.md" },
      json: { type: "string", default: "bench/sockets.json" },
      ...sizeOptions,
    },
  }) as { values: Record<string, string | boolean | undefined> };
  const quick = values.quick === true;
  const setups = String(values.setups).split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of setups) {
    if (!(ALL_SETUPS as readonly string[]).includes(s)) {
      throw new Error(`Unknown setup "${s}": expected some of ${ALL_SETUPS.join(", ")}`);
    }
  }
  const sizes = {} as Record<SizeName, number>;
  for (
    const [name, [full, small]] of Object.entries(SIZES) as [SizeName, readonly [number, number]][]
  ) {
    const raw = values[name];
    if (raw === undefined) sizes[name] = quick ? small : full;
    else {
      const n = Number(raw);
      if (!/^\d+$/.test(String(raw)) || !(n > 0)) {
        throw new Error(`Invalid --${name} "${raw}": expected a positive whole number`);
      }
      sizes[name] = n;
    }
  }
  return {
    quick,
    setups: ALL_SETUPS.filter((s) => setups.includes(s)),
    sizes,
    out: String(values.out),
    json: String(values.json),
  };
}

let clkTck = 100;

/** CPU milliseconds (user + system, every thread) a process has used. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readText(`/proc/${pid}/stat`);
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / clkTck;
}

/** Resident set size in KiB. */
async function rssKb(pid: number): Promise<number> {
  const status = await readText(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Signs up and logs in one publisher on our server; returns its token. */
async function publisherToken(base: string): Promise<string> {
  const username = `s6-${Math.random().toString(36).slice(2, 8)}`;
  return (await signIn({ url: base }, username, "bench secret")).token;
}

interface SetupPlan {
  id: SetupId;
  kind: ServerKind;
  processes: number;
  sockets: number;
  big: number;
  workers: number;
  /** The first loopback address's last byte; each setup has its own addresses (TIME_WAIT). */
  firstAddress: number;
  redis: boolean;
}

function plans(options: Options): SetupPlan[] {
  const z = options.sizes;
  const one = (id: SetupId, kind: ServerKind) => ({
    id,
    kind,
    processes: 1,
    sockets: z["one-sockets"],
    big: z["one-big"],
    workers: z["one-workers"],
    redis: false,
  });
  const three = (id: SetupId, kind: ServerKind, redis: boolean) => ({
    id,
    kind,
    processes: 3,
    sockets: z["three-sockets"],
    big: z["three-big"],
    workers: z["three-workers"],
    redis,
  });
  const all = [
    one("ours", "ours"),
    one("floor", "floor"),
    one("bun", "bun"),
    three("ours-redis", "ours", true),
    three("floor-3", "floor", false),
  ];
  let next = 2;
  return all.filter((p) => options.setups.includes(p.id)).map((p) => {
    const plan = { ...p, firstAddress: next };
    next += p.workers;
    return plan;
  });
}

async function runSetup(
  plan: SetupPlan,
  options: Options,
  tmp: string,
): Promise<SetupResult> {
  const z = options.sizes;
  const started = performance.now();
  let redis: BenchRedis | undefined;
  const servers: RunningServer[] = [];
  const workers: SocketsWorker[] = [];
  try {
    if (plan.redis) redis = await startBenchRedis();
    for (let k = 0; k < plan.processes; k++) {
      const dir = `${tmp}/${plan.id}-${k}`;
      await Deno.mkdir(dir, { recursive: true });
      const env = plan.kind !== "ours"
        ? undefined
        : redis
        ? oursEnv(dir, { STORE: "redis", BUS: "redis", REDIS_URL: redis.url })
        : oursEnv(dir);
      servers.push(await startServer({ kind: plan.kind, env }));
    }
    const refs = servers.map((s) => ({ kind: s.kind, base: s.base, pid: s.pid }));
    const token = plan.kind === "ours" ? await publisherToken(servers[0]!.base) : undefined;
    const per = Math.ceil(plan.sockets / plan.workers);
    const addresses: string[] = [];
    for (let k = 0; k < plan.workers; k++) {
      const localAddress = `127.0.0.${plan.firstAddress + k}`;
      addresses.push(localAddress);
      workers.push(
        SocketsWorker.spawn({
          servers: refs,
          localAddress,
          from: k * per,
          to: Math.min(plan.sockets, (k + 1) * per),
          layout: { bigRoom: "big", bigCount: plan.big, idleRooms: z["idle-rooms"] },
          timeLimitMs: 300_000,
        }),
      );
    }

    say(`${plan.id}: warming ${plan.processes} process(es)`);
    await workers[0]!.send({ cmd: "warm", count: 100, messages: 50, publisherToken: token });
    await pause(z["settle-ms"]);
    const idle = await Promise.all(servers.map((s) => rssKb(s.pid)));

    say(`${plan.id}: opening ${plan.sockets} sockets from ${addresses.join(", ")}`);
    const cpu0 = await Promise.all(servers.map((s) => cpuMs(s.pid)));
    const t0 = performance.now();
    const opened = await Promise.all(
      workers.map((w) =>
        w.send({ cmd: "open", concurrency: z.concurrency, publisherToken: token })
      ),
    );
    const connectMs = performance.now() - t0;
    const connectCpu = sum(await Promise.all(servers.map((s) => cpuMs(s.pid)))) - sum(cpu0);
    const openedCount = sum(opened.map((o) => o.opened as number));
    const failures = sum(opened.map((o) => o.failures as number));
    // A peer's rooms do not span processes: its busy room is the publisher's process's part.
    const spans = plan.kind === "ours" || plan.processes === 1;
    const bigMembers = spans
      ? sum(opened.map((o) => o.bigMembers as number))
      : sum(opened.map((o) => (o.bigByServer as number[])[0] ?? 0));
    say(
      `${plan.id}: ${openedCount} open (${failures} failed) in ${
        Math.round(connectMs)
      } ms, ${bigMembers} in the busy room`,
    );
    await pause(z["settle-ms"]);
    const connected = await Promise.all(servers.map((s) => rssKb(s.pid)));

    // What the open sockets cost with nothing sent: pings, timers, presence refreshes.
    const quietCpu0 = await Promise.all(servers.map((s) => cpuMs(s.pid)));
    const quietT0 = performance.now();
    await pause(z["quiet-ms"]);
    const quietCpu = sum(await Promise.all(servers.map((s) => cpuMs(s.pid)))) - sum(quietCpu0);
    const quietSec = (performance.now() - quietT0) / 1000;
    const idleUsPerSocketSec = openedCount ? (quietCpu * 1000) / openedCount / quietSec : null;

    say(`${plan.id}: ${z.rate} msg/s into the busy room for ${z.seconds} s`);
    const trafficCpu0 = await Promise.all(servers.map((s) => cpuMs(s.pid)));
    const trafficT0 = performance.now();
    const redisCpu0 = redis ? await cpuMs(redis.pid) : 0;
    const published = await workers[0]!.send({
      cmd: "publish",
      step: 1,
      rate: z.rate,
      durationMs: z.seconds * 1000,
      textBytes: z["text-bytes"],
    });
    const sent = published.sent as number;
    const expected = sent * bigMembers;
    await drain(workers, expected, z["drain-ms"]);
    const trafficCpu = sum(await Promise.all(servers.map((s) => cpuMs(s.pid)))) - sum(trafficCpu0);
    const trafficSec = (performance.now() - trafficT0) / 1000;
    // The traffic's own cost: its CPU less what the open sockets cost meanwhile anyway.
    const deliveryCpu = trafficCpu - (idleUsPerSocketSec ?? 0) * openedCount * trafficSec / 1000;
    const redisCpu = redis ? (await cpuMs(redis.pid)) - redisCpu0 : undefined;
    const after = await Promise.all(servers.map((s) => rssKb(s.pid)));
    const reports = await Promise.all(workers.map((w) => w.send({ cmd: "report", step: 1 })));
    const histogram = new Histogram();
    for (const r of reports) histogram.merge(r.histogram);
    // Where the time goes across processes: each server process's own sockets.
    const byProcess = servers.map((_, k) => {
      const h = new Histogram();
      for (const r of reports) if (r.byServer?.[k]) h.merge(r.byServer[k]);
      return h.summary();
    });
    const health = {
      unexpectedCloses: 0,
      closeCodes: {} as Record<string, number>,
      errors: 0,
      lastError: "",
    };
    for (const r of reports) {
      health.unexpectedCloses += r.health.unexpectedCloses;
      health.errors += r.health.errors;
      health.lastError ||= r.health.lastError;
      for (const [code, n] of Object.entries(r.health.closeCodes as Record<string, number>)) {
        health.closeCodes[code] = (health.closeCodes[code] ?? 0) + n;
      }
    }
    const openAtEnd = sum(reports.map((r) => r.open as number));
    const growth = Math.max(sum(connected), sum(after)) - sum(idle);
    const delivered = histogram.n;
    return {
      id: plan.id,
      processes: plan.processes,
      workers: plan.workers,
      sourceAddresses: addresses,
      engine: plan.kind !== "ours"
        ? "–"
        : redis
        ? "STORE=redis BUS=redis"
        : "STORE=sqlite BUS=memory",
      sockets: {
        target: plan.sockets,
        opened: openedCount,
        failures,
        firstError: opened.map((o) => o.firstError as string).find(Boolean) ?? "",
      },
      bigMembers,
      idleRooms: z["idle-rooms"],
      quiet: {
        ms: round(quietSec * 1000, 0),
        serverCpuMs: round(quietCpu, 1),
        usPerSocketSec: idleUsPerSocketSec === null ? null : round(idleUsPerSocketSec, 3),
      },
      connect: {
        wallMs: round(connectMs, 1),
        connectsPerSec: Math.round(openedCount / (connectMs / 1000)),
        serverCpuMs: round(connectCpu, 1),
        serverCpuUsPerConnect: openedCount ? round((connectCpu * 1000) / openedCount, 1) : null,
      },
      memory: {
        idleKb: sum(idle),
        connectedKb: sum(connected),
        afterKb: sum(after),
        perSocketKb: openedCount ? round(growth / openedCount, 2) : null,
        idlePerSocketKb: openedCount ? round((sum(connected) - sum(idle)) / openedCount, 2) : null,
        perProcess: servers.map((_, k) => ({
          idleKb: idle[k]!,
          connectedKb: connected[k]!,
          afterKb: after[k]!,
        })),
      },
      traffic: {
        rate: z.rate,
        durationMs: z.seconds * 1000,
        sent,
        expected,
        delivered,
        lost: Math.max(0, expected - delivered),
        lossPct: round(((expected - delivered) / Math.max(1, expected)) * 100, 3),
        latency: histogram.summary(),
        ...(servers.length > 1 ? { latencyByProcess: byProcess } : {}),
        sendLagP99Ms: published.lagP99Ms as number | null,
        serverCpuMs: round(trafficCpu, 1),
        serverCpuUsPerDelivery: delivered ? round((trafficCpu * 1000) / delivered, 3) : null,
        deliveryCpuUsPerDelivery: delivered
          ? round((Math.max(0, deliveryCpu) * 1000) / delivered, 3)
          : null,
        ...(redisCpu !== undefined ? { redisCpuMs: round(redisCpu, 1) } : {}),
      },
      openAtEnd,
      health,
      durationSec: 0,
    };
  } finally {
    say(`${plan.id}: closing`);
    await Promise.all(workers.map((w) => w.close()));
    for (const s of servers) await s.stop();
    await redis?.stop();
    say(`${plan.id}: done in ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

/** Waits until the workers have `expected` deliveries, progress stalls for 2 s, or `maxMs` pass. */
async function drain(workers: SocketsWorker[], expected: number, maxMs: number): Promise<void> {
  const start = performance.now();
  let last = -1;
  let lastChange = start;
  while (performance.now() - start < maxMs) {
    const counts = await Promise.all(workers.map((w) => w.send({ cmd: "count", step: 1 })));
    const n = sum(counts.map((c) => c.n as number));
    if (n >= expected) return;
    if (n !== last) {
      last = n;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > 2000) return;
    await pause(200);
  }
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(Deno.args);
  } catch (error) {
    console.error(errorText(error));
    Deno.exit(2);
  }
  const startedAt = new Date();
  await ensurePeers();
  clkTck = Number((await output("getconf", ["CLK_TCK"])).stdout.trim()) || 100;
  const results: SocketsResults = {
    machine: await machineInfo(),
    command: ["deno task bench:sockets", ...Deno.args].join(" "),
    quick: options.quick,
    startedAt: startedAt.toISOString(),
    finishedAt: "",
    durationSec: 0,
    sizes: options.sizes,
    setups: {},
    notes: [],
  };
  const hard = Number((await output("sh", ["-c", "ulimit -Hn"])).stdout.trim());
  const perProcess = Math.max(options.sizes["one-sockets"], options.sizes["three-sockets"] / 3);
  if (Number.isFinite(hard) && hard < perProcess + 200) {
    results.notes.push(
      `The hard fd limit (${hard}) is below the ${
        perProcess + 200
      } a server process needs here; connects will fail.`,
    );
  }
  const tmp = await Deno.makeTempDir({ prefix: "chat-bench-sockets-" });
  try {
    for (const plan of plans(options)) {
      const t0 = performance.now();
      try {
        const result = await runSetup(plan, options, tmp);
        result.durationSec = Math.round((performance.now() - t0) / 1000);
        results.setups[plan.id] = result;
      } catch (error) {
        say(`${plan.id} failed: ${errorText(error)}`);
        results.setups[plan.id] = { error: errorText(error) } satisfies Failure;
      }
      // Let the closed sockets' TIME_WAIT and the kernel's buffers settle.
      await pause(1000);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationSec = Math.round((finished.getTime() - startedAt.getTime()) / 1000);
  results.machine["load average at end"] = (await readText("/proc/loadavg")).split(" ").slice(0, 3)
    .join(" ");
  const path = (p: string) => (p.startsWith("/") ? p : `${REPO_ROOT}/${p}`);
  await Deno.writeTextFile(path(options.json), JSON.stringify(results, null, 2) + "\n");
  await Deno.writeTextFile(path(options.out), renderSocketsReport(results));
  await output("deno", ["fmt", "--quiet", path(options.out), path(options.json)]);
  say(`wrote ${options.out} and ${options.json} in ${results.durationSec} s`);
}

if (import.meta.main) await main();
