/**
 * `deno task bench`: runs every scenario against every server, one fresh
 * server process per scenario, and writes `bench/RESULTS.md` (and the raw
 * figures to `bench/results.json`). See `parseOptions` for flags and sizes.
 *
 * @module
 */
import { CONFIG_DEFAULTS } from "../src/config/load_config.ts";
import {
  type BenchOptions,
  OptionsError,
  parseOptions,
  type ScenarioId,
  scenarioSizes,
  type ServerId,
} from "./options.ts";
import { summariseProfile } from "./profile_summary.ts";
import { renderReport } from "./report.ts";
import type {
  Failure,
  FanoutResult,
  HistoryResult,
  Interleaved,
  LoginsResult,
  MicroResult,
  ProfileResult,
  RoomsResult,
  RunResults,
  StormResult,
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

async function output(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, cwd: REPO_ROOT, stdin: "null" }).output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } catch (error) {
    return { code: -1, stdout: "", stderr: String(error) };
  }
}

const readText = (path: string) => Deno.readTextFile(path).catch(() => "");
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function machineInfo(): Promise<Record<string, string>> {
  const cpuinfo = await readText("/proc/cpuinfo");
  const meminfo = await readText("/proc/meminfo");
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
  const commit = (await output("git", ["rev-parse", "--short", "HEAD"])).stdout.trim();
  const dirty = (await output("git", ["status", "--porcelain", "--", "src"])).stdout.trim();
  return {
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    cores: String(navigator.hardwareConcurrency),
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    kernel: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    node: (await output("node", ["--version"])).stdout.trim() || "not found",
    "socket.io / ws": await peerVersions(),
    commit: commit ? `${commit}${dirty ? " (src/ has uncommitted changes)" : ""}` : "unknown",
    "fd limit (soft / hard)": (await output("sh", ["-c", "echo $(ulimit -Sn) / $(ulimit -Hn)"]))
      .stdout.trim(),
    "load average at start": (await readText("/proc/loadavg")).split(" ").slice(0, 3).join(" "),
  };
}

async function peerVersions(): Promise<string> {
  const version = async (name: string) => {
    try {
      return JSON.parse(
        await Deno.readTextFile(`${REPO_ROOT}/bench/peers/node_modules/${name}/package.json`),
      ).version;
    } catch {
      return "?";
    }
  };
  return `${await version("socket.io")} / ${await version("ws")}`;
}

/** Installs the Node peers (`npm ci --prefix bench/peers`) when they are missing. */
async function ensurePeers(): Promise<void> {
  const have = async (name: string) => {
    try {
      await Deno.stat(`${REPO_ROOT}/bench/peers/node_modules/${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  };
  if ((await have("socket.io")) && (await have("ws"))) return;
  say("installing the Node peers: npm ci --prefix bench/peers");
  const result = await output("npm", ["ci", "--prefix", "bench/peers", "--no-audit", "--no-fund"]);
  if (result.code !== 0) throw new Error(`npm ci --prefix bench/peers failed:\n${result.stderr}`);
}

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

const kindOf = (id: ServerId) => (id === "ours-batch" ? "ours" : id);

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
  const peersOnly = options.servers.filter((s) => s !== "ours-batch");
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
              { ...sizes, batch: server === "ours-batch" },
              600_000,
            ),
        );
      }
      if ((sizes.cpuRounds as number) > 0) {
        results.s1Cpu = await interleaved(
          "S1 CPU measure",
          options.servers,
          sizes.cpuRounds as number,
          tmp,
          async (server, id) =>
            (await runLoad<FanoutResult>(
              "fanout",
              server,
              { ...sizes, rates: [], batch: id === "ours-batch" },
              120_000,
            )).measure.serverCpuUsPerDelivery,
        );
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
        results.s3Interleaved = await interleaved(
          "S3 storm",
          peersOnly,
          sizes.interleavedRounds as number,
          tmp,
          async (server) =>
            (await runLoad<StormResult>("storm", server, { ...sizes, rounds: 1 }, 120_000))
              .median?.connectsPerSec,
        );
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

/**
 * Takes one figure in rounds: every server runs at once (idle but for the one
 * measured), and each round measures each server in turn with `measure`.
 */
async function interleaved(
  what: string,
  ids: readonly ServerId[],
  rounds: number,
  tmp: string,
  measure: (server: RunningServer, id: ServerId) => Promise<number | null | undefined>,
): Promise<Partial<Record<ServerId, Interleaved | Failure>>> {
  const running = new Map<string, RunningServer>();
  const out: Partial<Record<ServerId, Interleaved | Failure>> = {};
  const figures = new Map<ServerId, number[]>();
  try {
    for (const id of ids) {
      const kind = kindOf(id);
      if (running.has(kind)) continue;
      try {
        const dir = await freshDir(tmp, `${what.replace(/\W+/g, "-")}-${kind}`);
        running.set(kind, await startServer(specFor(id, dir)));
      } catch (error) {
        out[id] = { error: errorText(error) };
      }
    }
    for (let round = 1; round <= rounds; round++) {
      for (const id of ids) {
        const server = running.get(kindOf(id));
        if (!server) out[id] ??= { error: `the ${kindOf(id)} server did not start` };
        if (!server || out[id]) continue;
        say(`${what}, round ${round} of ${rounds}, on ${id}`);
        try {
          const figure = await measure(server, id);
          if (figure === null || figure === undefined) throw new Error("no figure was measured");
          figures.set(id, [...(figures.get(id) ?? []), figure]);
        } catch (error) {
          out[id] = { error: errorText(error) };
        }
      }
    }
  } finally {
    for (const server of running.values()) await server.stop();
  }
  for (const [id, values] of figures) {
    if (!out[id]) out[id] = { rounds: values, median: median(values) };
  }
  return out;
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

/** Runs one scenario on our server under `--cpu-prof` and summarises the profile. */
async function runProfile(
  scenario: "S1" | "S2" | "S3",
  options: BenchOptions,
  tmp: string,
): Promise<ProfileResult | Failure> {
  const profDir = await Deno.makeTempDir({ prefix: `chat-bench-profile-${scenario}-` });
  say(`${scenario} on ours under --cpu-prof (profile in ${profDir})`);
  const job = { S1: "fanout", S2: "manyRooms", S3: "storm" }[scenario];
  const run = await withServer(
    {
      kind: "ours",
      env: oursEnv(await freshDir(tmp, `profile-${scenario}`)),
      cpuProfDir: profDir,
    },
    (s) =>
      runLoad<unknown>(
        job,
        s,
        { ...scenarioSizes(options, scenario), client: options.client, batch: false },
        600_000,
      ),
  );
  if (typeof run === "object" && run !== null && "error" in run) return run as Failure;
  const files = [];
  for await (const entry of Deno.readDir(profDir)) {
    if (entry.name.endsWith(".cpuprofile")) files.push(`${profDir}/${entry.name}`);
  }
  if (files.length === 0) return { error: `no .cpuprofile was written to ${profDir}` };
  const file = files[0]!;
  return summariseProfile(JSON.parse(await Deno.readTextFile(file)), file);
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
    for (const scenario of options.profile) {
      results.profile ??= {};
      results.profile[scenario as "S1" | "S2" | "S3"] = await runProfile(
        scenario as "S1" | "S2" | "S3",
        options,
        tmp,
      );
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
  const path = (p: string) => (p.startsWith("/") ? p : `${REPO_ROOT}/${p}`);
  await Deno.writeTextFile(path(options.json), JSON.stringify(results, null, 2) + "\n");
  await Deno.writeTextFile(path(options.out), renderReport(results));
  // Keep both files as `deno fmt --check` (part of `deno task check`) wants them.
  await output("deno", ["fmt", "--quiet", path(options.out), path(options.json)]);
  say(`wrote ${options.out} and ${options.json} in ${results.durationSec} s`);
}

if (import.meta.main) await main();
