/**
 * `deno task bench`: runs every scenario against every server, one fresh
 * server process per scenario, and writes `bench/RESULTS.md` (and the raw
 * figures to `bench/results.json`). See `parseOptions` for flags and sizes.
 *
 * @module
 */
import { CONFIG_DEFAULTS } from "../src/config/load_config.ts";
import {
  ALL_SCENARIOS,
  type BenchOptions,
  OptionsError,
  parseOptions,
  type ScenarioId,
  scenarioSizes,
  type ServerId,
} from "./options.ts";
import { ensurePeers, machineInfo, output, readText } from "./machine.ts";
import { summariseProfile } from "./profile_summary.ts";
import { renderReport, type ReportExtras } from "./report.ts";
import { type MemoryResults, memorySummary } from "./memory_report.ts";
import { socketsSummary, socketsTargets } from "./sockets_report.ts";
import type { SocketsResults } from "./sockets_results.ts";
import {
  type BatchWindowResult,
  type BatchWindowRun,
  type Failure,
  type FanoutResult,
  type HistoryResult,
  type Interleaved,
  isFailure,
  type LoginsResult,
  type MicroResult,
  type ProfileResult,
  type RoomsResult,
  type RunResults,
  type StormResult,
} from "./results.ts";
import { seedKv, seedSqlite } from "./seed_history.ts";
import {
  oursEnv,
  raisedLimitArgs,
  REPO_ROOT,
  type RunningServer,
  type ServerSpec,
  startServer,
} from "./servers.ts";

const MICRO_FILES = [
  "bench/protocol_bench.ts",
  "bench/encode_bench.ts",
  "bench/hub_bench.ts",
  "bench/store_bench.ts",
];

const say = (message: string) => console.error(`[bench] ${message}`);

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

let clkTck = 100;

/** Runs one load-generator job against a running server and returns its result. */
async function runLoad<T>(
  scenario: string,
  server: RunningServer,
  params: Record<string, unknown>,
  timeLimitMs: number,
): Promise<T> {
  const job = {
    scenario,
    server: { kind: server.kind, base: server.base, pid: server.pid },
    clkTck,
    params: { ...params, timeLimitMs },
  };
  const child = new Deno.Command("sh", {
    args: raisedLimitArgs(["node", "bench/peers/loadgen.mjs", JSON.stringify(job)]),
    cwd: REPO_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const killer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Gone.
    }
  }, timeLimitMs + 20_000);
  const out = await child.output();
  clearTimeout(killer);
  const text = new TextDecoder().decode(out.stdout).trim();
  const last = text.split("\n").at(-1) ?? "";
  if (out.code !== 0 || !last.startsWith("{")) {
    throw new Error(`load generator (${scenario}) exited with code ${out.code}`);
  }
  return JSON.parse(last) as T;
}

/** Starts a server, runs `fn` on it, stops it; a failure becomes a {@linkcode Failure}. */
async function withServer<T>(
  spec: ServerSpec,
  fn: (server: RunningServer) => Promise<T>,
): Promise<T | Failure> {
  let server: RunningServer | undefined;
  try {
    server = await startServer(spec);
    const result = await fn(server);
    const status = await server.stop();
    if (status.code !== 0 && status.signal === null && spec.kind === "ours") {
      say(`${spec.kind} exited with code ${status.code}: ${server.output().slice(-500)}`);
    }
    return result;
  } catch (error) {
    const tail = server?.output().slice(-1000) ?? "";
    say(`${spec.kind} failed: ${errorText(error)}${tail ? `\n${tail}` : ""}`);
    return { error: errorText(error) + (tail ? `\n${tail}` : "") };
  } finally {
    await server?.stop();
  }
}

const kindOf = (
  id: ServerId,
) => (id === "ours-batch" ? "ours" : id === "floor-sized" ? "floor" : id);

/**
 * How many characters our v1 delivery of an S1 message has beyond the floor's
 * echo of it (`{"text":…}`): the message's id, seq, room, sender and times, as
 * the server writes them for a load generator's user in its fan-out room.
 */
export function v1FrameOverhead(textBytes: number): number {
  const text = "x".repeat(textBytes);
  const ours = JSON.stringify([{
    id: crypto.randomUUID(),
    seq: 12_345,
    room: "fanout-abcdef",
    sender: { id: 7, username: "bench-abcdef-3" },
    text,
    createTime: 1_764_000_000,
    createdAt: new Date(1_764_000_000_000).toISOString(),
  }]);
  return ours.length - JSON.stringify({ text }).length;
}

/** An S1 job's sizes on server `id`: its client kind, and the floor-sized floor's longer texts. */
function s1Sizes(id: ServerId, sizes: Record<string, unknown>): Record<string, unknown> {
  const textBytes = sizes.textBytes as number;
  return {
    ...sizes,
    batch: id === "ours-batch",
    textBytes: id === "floor-sized" ? textBytes + v1FrameOverhead(textBytes) : textBytes,
  };
}

function specFor(id: ServerId, dataDir: string): ServerSpec {
  const kind = kindOf(id);
  return kind === "ours" ? { kind, env: oursEnv(dataDir) } : { kind };
}

async function freshDir(root: string, name: string): Promise<string> {
  const dir = `${root}/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

async function runScenario(
  id: ScenarioId,
  options: BenchOptions,
  results: RunResults,
  tmp: string,
): Promise<void> {
  const sizes: Record<string, unknown> = { ...scenarioSizes(options, id), client: options.client };
  const peersOnly = options.servers.filter((s) => s !== "ours-batch" && s !== "floor-sized");
  switch (id) {
    case "S1":
      for (const server of options.servers) {
        say(`S1 fan-out on ${server}`);
        results.s1[server] = await withServer(
          specFor(server, await freshDir(tmp, `s1-${server}`)),
          (s) =>
            runLoad<FanoutResult>(
              "fanout",
              s,
              s1Sizes(server, sizes),
              600_000,
            ),
        );
      }
      if ((sizes.cpuRounds as number) > 0) {
        const figures = await interleaved(
          "S1 CPU measure",
          options.servers,
          sizes.cpuRounds as number,
          tmp,
          ["cpu", "loadCpu", "loadRate", "loadP99"] as const,
          async (server, id) => {
            const r = await runLoad<FanoutResult>(
              "fanout",
              server,
              { ...s1Sizes(id, sizes), rates: [] },
              120_000,
            );
            return {
              cpu: r.measure.serverCpuUsPerDelivery,
              loadCpu: r.load?.serverCpuUsPerDelivery,
              loadRate: r.load?.sendingDeliveriesPerSec,
              loadP99: r.load?.latency.p99,
            };
          },
        );
        results.s1Cpu = figures.cpu;
        if ((sizes.loadRate as number) > 0) {
          results.s1Load = {
            cpu: figures.loadCpu,
            deliveriesPerSec: figures.loadRate,
            p99: figures.loadP99,
          };
        }
      }
      if (options.servers.includes("ours-batch")) {
        results.s1Windows = await batchWindows(options, sizes, tmp);
      }
      return;
    case "S2":
      for (const server of peersOnly) {
        say(`S2 many rooms on ${server}`);
        results.s2[server] = await withServer(
          specFor(server, await freshDir(tmp, `s2-${server}`)),
          (s) => runLoad<RoomsResult>("manyRooms", s, sizes, 600_000),
        );
      }
      return;
    case "S3":
      for (const server of peersOnly) {
        say(`S3 connect storm on ${server}`);
        results.s3[server] = await withServer(
          specFor(server, await freshDir(tmp, `s3-${server}`)),
          (s) => runLoad<StormResult>("storm", s, sizes, 300_000),
        );
      }
      if ((sizes.interleavedRounds as number) > 0) {
        results.s3Interleaved = (await interleaved(
          "S3 storm",
          peersOnly,
          sizes.interleavedRounds as number,
          tmp,
          ["rate"] as const,
          async (server) => ({
            rate: (await runLoad<StormResult>("storm", server, { ...sizes, rounds: 1 }, 120_000))
              .median?.connectsPerSec,
          }),
        )).rate;
      }
      return;
    case "S4":
      if (!options.servers.includes("ours")) return;
      say("S4 sign-up and login at the default hash cost");
      results.s4 = await withServer(
        {
          kind: "ours",
          env: oursEnv(await freshDir(tmp, "s4"), {
            PBKDF2_ITERATIONS: CONFIG_DEFAULTS.PBKDF2_ITERATIONS!,
          }),
        },
        (s) => runLoad<LoginsResult>("logins", s, sizes, 600_000),
      );
      return;
    case "S5":
      if (!options.servers.includes("ours")) return;
      for (const store of sizes.stores as ("sqlite" | "kv")[]) {
        const dir = await freshDir(tmp, `s5-${store}`);
        const env = oursEnv(dir, { STORE: store });
        const room = "history";
        const count = sizes.messages as number;
        let seedMs: number;
        try {
          say(`S5 seeding ${count} messages into ${store}`);
          seedMs = store === "sqlite"
            ? (await seedSqlite(env.DATABASE_PATH!, room, count)).ms
            : (await seedKv(env.KV_PATH!, room, count)).ms;
        } catch (error) {
          results.s5[store] = { error: `seeding failed: ${errorText(error)}` };
          continue;
        }
        say(`S5 history on ${store} (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
        const result = await withServer(
          { kind: "ours", env },
          (s) => runLoad<HistoryResult>("history", s, { ...sizes, room }, 300_000),
        );
        results.s5[store] = "error" in result ? result : { ...result, seedMs };
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
      return;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

type ByServer = Partial<Record<ServerId, Interleaved | Failure>>;

/**
 * Takes figures in rounds: every server runs at once (idle but for the one
 * measured), and each round measures each server in turn with `measure`,
 * which returns one value per figure name.
 */
async function interleaved<K extends string>(
  what: string,
  ids: readonly ServerId[],
  rounds: number,
  tmp: string,
  names: readonly K[],
  measure: (server: RunningServer, id: ServerId) => Promise<Record<K, number | null | undefined>>,
): Promise<Record<K, ByServer>> {
  const running = new Map<string, RunningServer>();
  const out = Object.fromEntries(names.map((name) => [name, {}])) as Record<K, ByServer>;
  const values = new Map<string, number[]>();
  const failAll = (id: ServerId, error: string) => {
    for (const name of names) out[name][id] ??= { error };
  };
  try {
    for (const id of ids) {
      const kind = kindOf(id);
      if (running.has(kind)) continue;
      try {
        const dir = await freshDir(tmp, `${what.replace(/\W+/g, "-")}-${kind}`);
        running.set(kind, await startServer(specFor(id, dir)));
      } catch (error) {
        failAll(id, errorText(error));
      }
    }
    for (let round = 1; round <= rounds; round++) {
      for (const id of ids) {
        const server = running.get(kindOf(id));
        if (!server) failAll(id, `the ${kindOf(id)} server did not start`);
        if (!server || names.every((name) => out[name][id])) continue;
        say(`${what}, round ${round} of ${rounds}, on ${id}`);
        let figures: Record<K, number | null | undefined>;
        try {
          figures = await measure(server, id);
        } catch (error) {
          failAll(id, errorText(error));
          continue;
        }
        for (const name of names) {
          const figure = figures[name];
          if (out[name][id]) continue;
          if (figure === null || figure === undefined) {
            out[name][id] = { error: "no figure was measured" };
          } else values.set(`${name}\0${id}`, [...(values.get(`${name}\0${id}`) ?? []), figure]);
        }
      }
    }
  } finally {
    for (const server of running.values()) await server.stop();
  }
  for (const [key, list] of values) {
    const [name, id] = key.split("\0") as [K, ServerId];
    out[name][id] ??= { rounds: list, median: median(list) };
  }
  return out;
}

/** Whether our server's sources read `BATCH_WINDOW_MS` (the option lands in src/ later). */
async function sourcesReadBatchWindow(): Promise<boolean> {
  const grep = await output("grep", ["-rlq", "BATCH_WINDOW_MS", `${REPO_ROOT}/src`]);
  return grep.code === 0;
}

/**
 * Runs `?batch=1` clients at the CPU measure and the load point once per
 * `BATCH_WINDOW_MS` value, each on a fresh server with the variable set, and
 * decides from the figures whether the server honours it: with a window the
 * frames at the load point carry more messages, or the 30 msg/s p50 grows by
 * at least half the window. Skipped when src/ does not read the variable,
 * unless `--s1-batch-windows` was given.
 */
async function batchWindows(
  options: BenchOptions,
  sizes: Record<string, unknown>,
  tmp: string,
): Promise<NonNullable<RunResults["s1Windows"]>> {
  const windows = (sizes.batchWindows as number[]).filter((w) => w >= 0);
  if (windows.length === 0) return { error: "no windows were given", skipped: true };
  const forced = "s1.batchWindows" in options.overrides;
  if (!forced && !await sourcesReadBatchWindow()) {
    return {
      error:
        "src/ does not read BATCH_WINDOW_MS yet, so no window was measured (give --s1-batch-windows to run the series anyway)",
      skipped: true,
    };
  }
  const series = windows.includes(0) ? windows : [0, ...windows];
  const runs: BatchWindowResult["runs"] = [];
  for (const windowMs of series) {
    say(`S1 batch window ${windowMs} ms on ours-batch`);
    const dir = await freshDir(tmp, `s1-window-${windowMs}`);
    const r = await withServer(
      { kind: "ours", env: oursEnv(dir, { BATCH_WINDOW_MS: String(windowMs) }) },
      (s) => runLoad<FanoutResult>("fanout", s, { ...sizes, rates: [], batch: true }, 120_000),
    );
    runs.push(
      isFailure(r) ? { ...r, windowMs } : { windowMs, measure: r.measure, load: r.load ?? null },
    );
  }
  return { ...judgeWindows(runs), runs };
}

/** Decides whether the server honoured the windows, from the series' largest window against 0. */
export function judgeWindows(
  runs: BatchWindowResult["runs"],
): Pick<BatchWindowResult, "honoured" | "evidence"> {
  const good = runs.filter((r): r is BatchWindowRun => !isFailure(r));
  const base = good.find((r) => r.windowMs === 0);
  const widest = good.filter((r) => r.windowMs > 0).sort((a, b) => b.windowMs - a.windowMs)[0];
  if (!base || !widest) {
    return { honoured: false, evidence: "the window 0 or a window above 0 did not run" };
  }
  const p50Rise = (widest.measure.latency.p50 ?? 0) - (base.measure.latency.p50 ?? 0);
  const mpf = (r: BatchWindowRun) => r.load?.messagesPerFrame ?? r.measure.messagesPerFrame ?? 1;
  const mpfGain = mpf(widest) / Math.max(0.01, mpf(base));
  const honoured = p50Rise >= widest.windowMs / 2 || mpfGain >= 1.3;
  return {
    honoured,
    evidence: `at ${widest.windowMs} ms against 0: p50 at the CPU measure ${
      p50Rise >= 0 ? "+" : ""
    }${p50Rise.toFixed(1)} ms (honoured from +${
      (widest.windowMs / 2).toFixed(1)
    }), messages per frame at the load point ${mpf(widest).toFixed(2)} vs ${
      mpf(base).toFixed(2)
    } (honoured from 1.3×)`,
  };
}

/** Runs the `deno bench` micro-benchmarks and collects their figures. */
async function runMicro(): Promise<MicroResult[] | Failure> {
  say("micro-benchmarks: deno bench");
  const out = await output("deno", ["bench", "-A", "--json", ...MICRO_FILES]);
  if (out.code !== 0) {
    return { error: `deno bench exited with code ${out.code}: ${out.stderr.slice(-500)}` };
  }
  try {
    const report = JSON.parse(out.stdout) as {
      benches: {
        origin: string;
        name: string;
        group: string | null;
        results: { ok?: { avg: number; p99: number } }[];
      }[];
    };
    return report.benches.flatMap((b) => {
      const ok = b.results[0]?.ok;
      if (!ok) return [];
      return [{
        file: b.origin.slice(b.origin.indexOf("/bench/") + 1),
        name: b.name,
        ...(b.group ? { group: b.group } : {}),
        avgNs: ok.avg,
        p99Ns: ok.p99,
      }];
    });
  } catch (error) {
    return { error: `cannot read deno bench output: ${errorText(error)}` };
  }
}

/**
 * Runs one scenario on a Deno server (ours or the floor) under `--cpu-prof`
 * and summarises the profile. S1 runs its CPU measure and load point only
 * (no ramp), so the profile is of steady delivery.
 */
async function runProfile(
  scenario: "S1" | "S2" | "S3",
  id: ServerId,
  options: BenchOptions,
  tmp: string,
): Promise<ProfileResult | Failure> {
  const profDir = await Deno.makeTempDir({ prefix: `chat-bench-profile-${scenario}-${id}-` });
  say(`${scenario} on ${id} under --cpu-prof (profile in ${profDir})`);
  const job = { S1: "fanout", S2: "manyRooms", S3: "storm" }[scenario];
  const dir = await freshDir(tmp, `profile-${scenario}-${id}`);
  const run = await withServer(
    { ...specFor(id, dir), cpuProfDir: profDir },
    (s) =>
      runLoad<unknown>(
        job,
        s,
        scenario === "S1"
          ? {
            ...s1Sizes(id, { ...scenarioSizes(options, scenario), client: options.client }),
            rates: [],
          }
          : {
            ...scenarioSizes(options, scenario),
            client: options.client,
            batch: id === "ours-batch",
          },
        600_000,
      ),
  );
  if (isFailure(run)) return run;
  const files = [];
  for await (const entry of Deno.readDir(profDir)) {
    if (entry.name.endsWith(".cpuprofile")) files.push(`${profDir}/${entry.name}`);
  }
  if (files.length === 0) return { error: `no .cpuprofile was written to ${profDir}` };
  const file = files[0]!;
  const summary = summariseProfile(JSON.parse(await Deno.readTextFile(file)), file);
  if (scenario !== "S1") return summary;
  const fanout = run as FanoutResult;
  return {
    ...summary,
    usPerDelivery: {
      measure: fanout.measure.serverCpuUsPerDelivery,
      load: fanout.load?.serverCpuUsPerDelivery ?? null,
    },
  };
}

/**
 * S6 and the memory breakdown, from the JSON their own runs wrote
 * (`bench/sockets.json`, `bench/memory.json`), when present.
 */
export async function reportExtras(): Promise<ReportExtras> {
  const read = async <T>(file: string): Promise<T | undefined> => {
    try {
      return JSON.parse(await Deno.readTextFile(`${REPO_ROOT}/bench/${file}`)) as T;
    } catch {
      return undefined;
    }
  };
  const sockets = await read<SocketsResults>("sockets.json");
  const memory = await read<MemoryResults>("memory.json");
  return {
    ...(sockets
      ? {
        sockets: {
          targets: socketsTargets(sockets),
          date: sockets.startedAt,
          report: "SOCKETS.md",
          summary: socketsSummary(sockets),
        },
      }
      : {}),
    ...(memory
      ? { memory: { date: memory.startedAt, report: "MEMORY.md", summary: memorySummary(memory) } }
      : {}),
  };
}

function addNotes(results: RunResults): void {
  const load = Number(results.machine["load average at start"]?.split(" ")[0] ?? 0);
  if (load > 0.5) {
    results.notes.push(
      `The load average was ${load} when the run started: other processes were using the CPU, so the figures are noisy.`,
    );
  }
  for (const [id, r] of Object.entries(results.s1)) {
    if (!r || "error" in r) continue;
    const late = [r.measure, ...r.ramp].filter((s) => (s.sendLagP99Ms ?? 0) > 20);
    if (late.length > 0) {
      results.notes.push(
        `S1 ${id}: in ${late.length} step(s) the load generator's own sends left up to ${
          Math.max(...late.map((s) => s.sendLagP99Ms ?? 0))
        } ms late (p99): the client was starved of CPU, so those steps' latencies are not the server's alone.`,
      );
    }
    if (!r.best) continue;
    if (r.best.clientCpuPct >= 90) {
      results.notes.push(
        `S1 ${id}: the load generator used ${r.best.clientCpuPct} % of a core at the best step; that figure may be bounded by the client rather than the server.`,
      );
    }
  }
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(Deno.args, Deno.env.toObject());
  } catch (error) {
    if (error instanceof OptionsError) {
      console.error(error.message);
      Deno.exit(2);
    }
    throw error;
  }
  const started = new Date();
  await ensurePeers();
  clkTck = Number((await output("getconf", ["CLK_TCK"])).stdout.trim()) || 100;
  const hard = Number((await output("sh", ["-c", "ulimit -Hn"])).stdout.trim());
  const results: RunResults = {
    machine: await machineInfo(),
    command: ["deno task bench", ...Deno.args].join(" "),
    quick: options.quick,
    client: options.client,
    startedAt: started.toISOString(),
    finishedAt: "",
    durationSec: 0,
    sizes: options.sizes as unknown as Record<string, unknown>,
    overrides: { ...options.overrides },
    s1: {},
    s2: {},
    s3: {},
    s5: {},
    notes: [],
  };
  const needed = (options.sizes["s2.rooms"] * options.sizes["s2.perRoom"]) + 100;
  if (Number.isFinite(hard) && hard > 0 && hard < needed) {
    results.notes.push(
      `The hard fd limit (${hard}) is below the ${needed} sockets S2 needs; S2 connects may fail.`,
    );
  }
  const tmp = await Deno.makeTempDir({ prefix: "chat-bench-" });
  try {
    for (const scenario of options.scenarios) {
      await runScenario(scenario, options, results, tmp);
    }
    for (const scenario of options.profile as ("S1" | "S2" | "S3")[]) {
      const byServer: Partial<Record<ServerId, ProfileResult | Failure>> = {};
      for (const id of options.profileServers) {
        byServer[id] = await runProfile(scenario, id, options, tmp);
      }
      (results.profile ??= {})[scenario] = byServer;
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  if (options.micro) results.micro = await runMicro();
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationSec = Math.round((finished.getTime() - started.getTime()) / 1000);
  results.machine["load average at end"] = (await readText("/proc/loadavg")).split(" ").slice(0, 3)
    .join(" ");
  addNotes(results);
  const skipped = ALL_SCENARIOS.filter((id) => !options.scenarios.includes(id));
  if (skipped.length > 0) {
    results.notes.push(
      `Not part of this run: ${
        skipped.join(", ")
      } (\`--only\`); their targets read "not measured", and their last figures are in this file's history.`,
    );
  }
  const path = (p: string) => (p.startsWith("/") ? p : `${REPO_ROOT}/${p}`);
  await Deno.writeTextFile(path(options.json), JSON.stringify(results, null, 2) + "\n");
  await Deno.writeTextFile(path(options.out), renderReport(results, await reportExtras()));
  // Keep both files as `deno fmt --check` (part of `deno task check`) wants them.
  await output("deno", ["fmt", "--quiet", path(options.out), path(options.json)]);
  say(`wrote ${options.out} and ${options.json} in ${results.durationSec} s`);
}

if (import.meta.main) await main();
