/**
 * `deno task bench:memory`: what of the per-socket memory is ours. Our
 * server and the bare Deno floor each run under `--inspect` on loopback; N
 * idle sockets (rooms of 10, as in S2) open from client processes on their
 * own loopback addresses. Before and after, the run reads the process's RSS
 * from /proc, V8's heap figures (`Deno.memoryUsage()` after a full GC) and a
 * heap snapshot, and divides each growth by N:
 *
 * - RSS per socket = V8 heap + external (ArrayBuffers) + native (the rest:
 *   the runtime's Rust side, hyper and the WebSocket's buffers, tokio, malloc);
 * - the heap snapshots' growth by kind of object (constructor, plain-object
 *   shape, closure and its source line, closure context, …) tells which
 *   structure each byte is;
 * - ours minus the floor, kind by kind, is what our server adds (hub,
 *   session, closures, timers, presence); the floor's figures are the
 *   runtime's own share.
 *
 * Writes `bench/MEMORY.md` and `bench/memory.json`.
 *
 * ```sh
 * deno task bench:memory
 * deno task bench:memory --sockets=2000   # default 10,000, as S2
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type HeapSnapshot, perSocket, summariseHeap, totalBytes } from "./heap_snapshot.ts";
import { Inspector } from "./inspector.ts";
import { ensurePeers, machineInfo, output, readText } from "./machine.ts";
import { type MemoryResults, renderMemoryReport, type ServerMemory } from "./memory_report.ts";
import { freePort, oursEnv, REPO_ROOT, startServer } from "./servers.ts";
import { SocketsWorker } from "./sockets_worker_process.ts";

const say = (message: string) => console.error(`[memory] ${message}`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface HeapFigures {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readText(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0) * 1024;
}

/**
 * V8's heap figures and RSS after a full GC, then a heap snapshot's summary
 * (taken after the figures: writing a snapshot grows the process's memory).
 */
async function sample(inspector: Inspector, pid: number, scripts: Map<string, string>) {
  await inspector.call("HeapProfiler.enable");
  await inspector.call("HeapProfiler.collectGarbage");
  await pause(500);
  const figures = await inspector.evaluate<HeapFigures>(
    "(() => { const m = Deno.memoryUsage(); return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external }; })()",
  );
  const rss = await rssBytes(pid);
  const json = await inspector.heapSnapshot();
  const kinds = summariseHeap(JSON.parse(json) as HeapSnapshot, scripts);
  return { ...figures, rss, kinds, snapshotBytes: json.length };
}

async function measure(
  kind: "ours" | "floor",
  sockets: number,
  perRoom: number,
  workers: number,
  firstAddress: number,
  tmp: string,
): Promise<ServerMemory> {
  const inspectPort = freePort();
  const dir = `${tmp}/${kind}`;
  await Deno.mkdir(dir, { recursive: true });
  const server = await startServer({
    kind,
    env: kind === "ours" ? oursEnv(dir) : undefined,
    inspectPort,
  });
  const clients: SocketsWorker[] = [];
  let inspector: Inspector | undefined;
  try {
    inspector = await Inspector.connect(inspectPort);
    const scripts = await inspector.scripts();
    const ref = { kind: server.kind, base: server.base, pid: server.pid };
    const per = Math.ceil(sockets / workers);
    for (let k = 0; k < workers; k++) {
      clients.push(SocketsWorker.spawn({
        servers: [ref],
        localAddress: `127.0.0.${firstAddress + k}`,
        from: k * per,
        to: Math.min(sockets, (k + 1) * per),
        // No busy room: every socket idles in a room of `perRoom`.
        layout: {
          bigRoom: "big",
          bigCount: 0,
          idleRooms: Math.max(1, Math.round(sockets / perRoom)),
        },
        timeLimitMs: 300_000,
      }));
    }
    say(`${kind}: warming`);
    await clients[0]!.send({ cmd: "warm", count: 100, messages: 0 });
    await pause(2000);
    say(`${kind}: snapshot with no sockets`);
    const before = await sample(inspector, server.pid, scripts);
    say(`${kind}: opening ${sockets} idle sockets`);
    const opened = await Promise.all(clients.map((c) => c.send({ cmd: "open", concurrency: 50 })));
    const open = opened.reduce((n, o) => n + (o.opened as number), 0);
    await pause(3000);
    say(`${kind}: snapshot with ${open} sockets`);
    const after = await sample(inspector, server.pid, scripts);
    const per1 = (a: number, b: number) => (b - a) / open;
    return {
      kind,
      sockets: open,
      rooms: Math.max(1, Math.round(sockets / perRoom)),
      perSocket: {
        rss: per1(before.rss, after.rss),
        heapUsed: per1(before.heapUsed, after.heapUsed),
        external: per1(before.external, after.external),
        native: per1(
          before.rss - before.heapTotal - before.external,
          after.rss - after.heapTotal - after.external,
        ),
        heapUnused: per1(before.heapTotal - before.heapUsed, after.heapTotal - after.heapUsed),
        snapshot: per1(totalBytes(before.kinds), totalBytes(after.kinds)),
      },
      before: {
        rss: before.rss,
        heapTotal: before.heapTotal,
        heapUsed: before.heapUsed,
        external: before.external,
      },
      after: {
        rss: after.rss,
        heapTotal: after.heapTotal,
        heapUsed: after.heapUsed,
        external: after.external,
      },
      kinds: perSocket(before.kinds, after.kinds, open).filter((k) =>
        Math.abs(k.bytes) >= 1 || Math.abs(k.count) >= 0.01
      ),
    };
  } finally {
    inspector?.close();
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      sockets: { type: "string", default: "10000" },
      "per-room": { type: "string", default: "10" },
      workers: { type: "string", default: "2" },
      out: { type: "string", default: "bench/MEMORY.md" },
      json: { type: "string", default: "bench/memory.json" },
    },
  });
  const sockets = Number(values.sockets);
  const perRoom = Number(values["per-room"]);
  const workers = Number(values.workers);
  if (![sockets, perRoom, workers].every((n) => Number.isInteger(n) && n > 0) || sockets > 18_000) {
    console.error(
      "--sockets (at most 18000), --per-room and --workers take positive whole numbers",
    );
    Deno.exit(2);
  }
  const startedAt = new Date();
  await ensurePeers();
  const results: MemoryResults = {
    machine: await machineInfo(),
    command: ["deno task bench:memory", ...Deno.args].join(" "),
    startedAt: startedAt.toISOString(),
    durationSec: 0,
    sockets,
    perRoom,
    servers: {},
  };
  const tmp = await Deno.makeTempDir({ prefix: "chat-bench-memory-" });
  try {
    let address = 2;
    for (const kind of ["ours", "floor"] as const) {
      try {
        results.servers[kind] = await measure(kind, sockets, perRoom, workers, address, tmp);
      } catch (error) {
        say(`${kind} failed: ${errorText(error)}`);
        results.servers[kind] = { error: errorText(error) };
      }
      address += workers;
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  results.durationSec = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const path = (p: string) => (p.startsWith("/") ? p : `${REPO_ROOT}/${p}`);
  await Deno.writeTextFile(path(values.json), JSON.stringify(results, null, 2) + "\n");
  await Deno.writeTextFile(path(values.out), renderMemoryReport(results));
  await output("deno", ["fmt", "--quiet", path(values.out), path(values.json)]);
  say(`wrote ${values.out} and ${values.json} in ${results.durationSec} s`);
}

if (import.meta.main) await main();
