/**
 * The fuzzer of issue 4 ("Hard to break"): starts the real server as a child
 * process, sends a bounded number of random and mutated inputs over loopback
 * (REST bodies, methods, paths, headers, queries, WebSocket sessions and raw
 * TCP handshakes and frames), and reports every 5xx, reset, hang, crash,
 * envelope break, contract mismatch and leak.
 *
 * Run it with `deno task fuzz` (flags: `--count`, `--time`, `--concurrency`,
 * `--seed`, `--warmup`, `--settle`, `--final-settle`, `--phases`, `--timeout`, `--no-memory-check`,
 * `--no-inspect`).
 *
 * @module
 */
import { startChildServer } from "./child_server.ts";
import type { FuzzContext, LiveTokenMaterial } from "./context.ts";
import type { KnownCredentials } from "./bodies.ts";
import {
  credentialsCase,
  encodeSegment,
  healthCase,
  historyCase,
  meCase,
  routeCase,
  userLookupCase,
} from "./http_cases.ts";
import { Rng } from "./random.ts";
import { rawHandshakeCase, rawHttpCase } from "./raw_cases.ts";
import { type FailureGroup, Tally } from "./tally.ts";
import { wsSessionCase } from "./ws_cases.ts";

/** Options of {@linkcode runFuzz}. */
export interface FuzzOptions {
  /** Inputs to send (requests, handshakes and frames). */
  count: number;
  /** Stop starting new cases after this long. */
  timeLimitMs: number;
  /** Cases in flight at once. */
  concurrency: number;
  seed: number;
  /** Inputs sent before the memory baseline is taken. */
  warmup: number;
  /** Quiet time before each memory reading. */
  settleMs: number;
  /**
   * Quiet time before the last reading: longer than the hub keeps an emptied
   * room (30 s), so rooms and their caches of recent messages have been let go.
   */
  finalSettleMs: number;
  /** How long one request, handshake or expected close may take. */
  timeoutMs: number;
  /** Quiet readings of RSS and descriptors taken during the main phase (at least 1). */
  phases: number;
  /**
   * Fail when the end RSS, or the JS heap after a forced GC, is more than
   * `memoryTolerance` above its warm-up reading.
   */
  checkMemory: boolean;
  memoryTolerance: number;
  /** Start the server with `--inspect` on loopback to read its heap after GC. */
  inspect: boolean;
  /** Progress lines; silent when absent. */
  log?: (line: string) => void;
  /** The project root; defaults to two levels above this file. */
  root: URL;
}

/** One quiet reading of the server's resources. */
export interface Reading {
  readonly inputs: number;
  readonly rssKiB: number;
  readonly fds: number;
  /** JS heap after a forced GC, when the server runs with the inspector. */
  readonly heapKiB: number | undefined;
}

/** What a run found. */
export interface FuzzSummary {
  readonly seed: number;
  readonly inputs: number;
  readonly requested: number;
  readonly stoppedByTime: boolean;
  readonly durationMs: number;
  readonly concurrency: number;
  readonly outcomes: ReadonlyMap<string, number>;
  readonly failures: readonly FailureGroup[];
  /** Findings that do not fail the run, e.g. Deno accepting a lenient handshake. */
  readonly warnings: readonly FailureGroup[];
  readonly rss: {
    readonly warmKiB: number;
    readonly endKiB: number;
    readonly peakKiB: number;
    readonly within: boolean;
  };
  readonly fds: { readonly warm: number; readonly end: number };
  /** Quiet readings after warm-up and after each phase of the main run. */
  readonly readings: readonly Reading[];
  /** JS heap after GC (KiB) after warm-up and at the end, when inspected. */
  readonly heap:
    | { readonly warmKiB: number; readonly endKiB: number; readonly within: boolean }
    | undefined;
  /** Distinct `method` label values in `/metrics` at the end (undefined without `/metrics`). */
  readonly metricMethods: number | undefined;
  readonly shutdown: {
    readonly code: number;
    readonly signal: string | null;
    readonly killed: boolean;
    readonly ms: number;
  };
  readonly serverErrorLines: number;
  readonly serverLogTail: readonly string[];
}

/**
 * The default options: 120,000 inputs, 16 at a time, 15 minutes at most. The
 * first 20,000 warm the server up (JIT, caches, throttle maps); memory is
 * measured over the 100,000 after them.
 */
export const DEFAULT_OPTIONS: Readonly<FuzzOptions> = Object.freeze({
  count: 120_000,
  timeLimitMs: 15 * 60_000,
  concurrency: 16,
  seed: 1,
  warmup: 20_000,
  settleMs: 3_000,
  finalSettleMs: 35_000,
  phases: 4,
  timeoutMs: 15_000,
  checkMemory: true,
  memoryTolerance: 0.1,
  inspect: true,
  root: new URL("../../", import.meta.url),
});

/** Room names the sessions and history queries share. */
export const FUZZ_ROOMS: readonly string[] = Object.freeze([
  "lobby",
  "fuzz",
  "Fuzz",
  "r\u00fcm",
  "re\u0301sume\u0301",
  "\u{1f4ac}",
  "\u4e2d\u6587",
  "a".repeat(64),
  "50%off",
  "a+b",
  "~!$&'()*=:@",
  "x?y#z",
]);

type Case = (ctx: FuzzContext) => Promise<void>;

const CASES: readonly (readonly [number, Case])[] = [
  [30, credentialsCase],
  [12, routeCase],
  [6, userLookupCase],
  [6, meCase],
  [10, historyCase],
  [1, healthCase],
  [18, wsSessionCase],
  [8, rawHandshakeCase],
  [9, rawHttpCase],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signUpSeedUsers(
  base: string,
  tokens: LiveTokenMaterial,
  known: KnownCredentials[],
): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const credentials = {
      username: `seed-${i}-${crypto.randomUUID().slice(0, 6)}`,
      secret: `secret ${i}`,
    };
    const body = JSON.stringify(credentials);
    const headers = { "content-type": "application/json" };
    const created = await fetch(`${base}/api/v1/users`, { method: "POST", headers, body });
    const user = (await created.json()) as { data: { id: number } | null };
    const login = await fetch(`${base}/api/v1/login`, { method: "POST", headers, body });
    const session = (await login.json()) as { data: { token: string } | null };
    if (created.status !== 201 || login.status !== 200 || !user.data || !session.data) {
      throw new Error(`Cannot sign up the seed users: ${created.status} ${login.status}`);
    }
    tokens.userIds.push(user.data.id);
    tokens.issued.push(session.data.token);
    known.push(credentials);
  }
}

/** Runs the fuzzer against a fresh child server and returns what it found. */
export async function runFuzz(overrides: Partial<FuzzOptions> = {}): Promise<FuzzSummary> {
  const options: FuzzOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const log = options.log ?? (() => {});
  const tally = new Tally();
  const started = Date.now();
  const deadline = started + options.timeLimitMs;
  await using server = await startChildServer({ root: options.root, inspect: options.inspect });
  log(`server pid ${server.pid} on ${server.base}`);

  let stopping = false;
  server.exited.then((status) => {
    if (!stopping) {
      tally.fail(
        "crash",
        `the server exited with code ${status.code} signal ${status.signal}:\n${
          server.logTail().slice(-30).join("\n")
        }`,
      );
    }
  });

  const tokens: LiveTokenMaterial = {
    secret: server.jwtSecret,
    issuer: server.issuer,
    issued: [],
    userIds: [],
  };
  const known: KnownCredentials[] = [];
  await signUpSeedUsers(server.base, tokens, known);

  let peakKiB = await server.rssKiB();
  const sampler = setInterval(() => {
    if (server.hasExited) return;
    server.rssKiB().then((kib) => (peakKiB = Math.max(peakKiB, kib)), () => {});
  }, 1000);
  let lastLog = Date.now();

  const runPhase = async (budget: number, phase: number) => {
    const end = tally.inputs + budget;
    const clients = {
      pooled: Deno.createHttpClient({}),
      fresh: Deno.createHttpClient({ poolMaxIdlePerHost: 0 }),
    };
    const worker = async (index: number) => {
      const rng = new Rng(options.seed * 1_000_003 + phase * 7919 + index);
      const ctx: FuzzContext = {
        base: server.base,
        port: server.port,
        rng,
        tally,
        tokens,
        known,
        rooms: FUZZ_ROOMS,
        timeoutMs: options.timeoutMs,
        clients,
        count: (n = 1) => {
          tally.inputs += n;
        },
        remaining: () => end - tally.inputs,
      };
      while (tally.inputs < end && Date.now() < deadline && !server.hasExited) {
        const run = rng.weighted(CASES);
        try {
          await run(ctx);
        } catch (error) {
          tally.fail(
            "fuzzer-error",
            error instanceof Error ? error.stack ?? error.message : String(error),
          );
        }
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          const secs = (Date.now() - started) / 1000;
          log(
            `${tally.inputs} inputs in ${secs.toFixed(0)} s (${
              (tally.inputs / secs).toFixed(0)
            }/s), ` +
              `${tally.failureCount} failures, peak RSS ${(peakKiB / 1024).toFixed(1)} MiB`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
    clients.pooled.close();
    clients.fresh.close();
  };

  const reading = async (settleMs = options.settleMs) => {
    await sleep(settleMs);
    if (server.hasExited) return { rss: 0, fds: 0, heap: undefined };
    let heap: number | undefined;
    try {
      heap = await server.heapKiB();
    } catch (error) {
      log(`cannot read the heap: ${String(error)}`);
    }
    return { rss: await server.rssKiB(), fds: await server.openFds(), heap };
  };

  const warmupBudget = Math.min(options.warmup, Math.floor(options.count / 2));
  await runPhase(warmupBudget, 0);
  const warm = await reading();
  const describe = (r: { rss: number; fds: number; heap: number | undefined }) =>
    `RSS ${(r.rss / 1024).toFixed(1)} MiB, ${r.fds} fds` +
    (r.heap ? `, heap after GC ${(r.heap / 1024).toFixed(1)} MiB` : "");
  log(`after warm-up (${tally.inputs} inputs): ${describe(warm)}`);
  const readings: Reading[] = [{
    inputs: tally.inputs,
    rssKiB: warm.rss,
    fds: warm.fds,
    heapKiB: warm.heap,
  }];
  const phases = Math.max(1, Math.floor(options.phases));
  let last = warm;
  for (let phase = 1; phase <= phases; phase++) {
    const target = warmupBudget + Math.round(((options.count - warmupBudget) * phase) / phases);
    await runPhase(target - tally.inputs, phase);
    if (Date.now() >= deadline || server.hasExited) break;
    last = await reading(phase < phases ? options.settleMs : options.finalSettleMs);
    readings.push({ inputs: tally.inputs, rssKiB: last.rss, fds: last.fds, heapKiB: last.heap });
    if (phase < phases) log(`after phase ${phase} (${tally.inputs} inputs): ${describe(last)}`);
  }
  const stoppedByTime = tally.inputs < options.count && !server.hasExited;
  if (stoppedByTime || server.hasExited) last = await reading(options.finalSettleMs);
  clearInterval(sampler);
  log(`at the end (${tally.inputs} inputs): ${describe(last)}`);

  let metricMethods: number | undefined;
  if (!server.hasExited) {
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    try {
      const health = await fetch(`${server.base}/healthz`, {
        client,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await health.body?.cancel();
      if (health.status !== 200) {
        tally.fail("health", `GET /healthz → ${health.status} after the run`);
      }
      for (const room of FUZZ_ROOMS) {
        const response = await fetch(`${server.base}/api/v1/rooms/${encodeSegment(room)}`, {
          client,
        });
        const body = (await response.json()) as {
          data?: { online?: { users: number; anonymous: number } };
        };
        const online = body.data?.online;
        if (!online || online.users !== 0 || online.anonymous !== 0) {
          tally.fail(
            "presence-leak",
            `room ${JSON.stringify(room)} shows ${
              JSON.stringify(online)
            } online after every socket closed`,
          );
        }
      }
      const metrics = await fetch(`${server.base}/metrics`, { client });
      const text = await metrics.text();
      if (metrics.status === 200) {
        const methods = new Set(
          [...text.matchAll(/^http_requests_total\{[^}]*method="([^"]*)"/gm)].map((m) => m[1]),
        );
        metricMethods = methods.size;
        if (methods.size > 12) {
          tally.fail(
            "metrics-cardinality",
            `/metrics holds ${methods.size} distinct method labels (${text.length} bytes), e.g. ${
              [...methods].slice(-5).join(", ")
            }`,
          );
        }
      }
    } catch (error) {
      tally.fail("health", `the server did not answer after the run: ${String(error)}`);
    } finally {
      client.close();
    }
  }

  const tolerance = options.memoryTolerance;
  const within = last.rss > 0 && last.rss <= warm.rss * (1 + tolerance);
  if (options.checkMemory && !server.hasExited && !within) {
    tally.fail(
      "rss",
      `RSS grew from ${warm.rss} KiB after warm-up to ${last.rss} KiB at the end (more than ${
        tolerance * 100
      }%)`,
    );
  }
  const heap = warm.heap !== undefined && last.heap !== undefined
    ? { warmKiB: warm.heap, endKiB: last.heap, within: last.heap <= warm.heap * (1 + tolerance) }
    : undefined;
  if (options.checkMemory && heap && !heap.within) {
    tally.fail(
      "heap",
      `the JS heap after GC grew from ${heap.warmKiB} KiB after warm-up to ${heap.endKiB} KiB at the end (more than ${
        tolerance * 100
      }%)`,
    );
  }
  if (!server.hasExited && last.fds > warm.fds + 4) {
    tally.fail(
      "fd-leak",
      `open descriptors grew from ${warm.fds} after warm-up to ${last.fds} at the end`,
    );
  }

  stopping = !server.hasExited;
  const shutdown = await server.stop();
  if (stopping && (shutdown.code !== 0 || shutdown.killed || shutdown.ms > 5000)) {
    tally.fail(
      "shutdown",
      `SIGTERM → exit code ${shutdown.code} signal ${shutdown.signal} after ${shutdown.ms} ms${
        shutdown.killed ? " (killed)" : ""
      }`,
    );
  }

  return {
    seed: options.seed,
    inputs: tally.inputs,
    requested: options.count,
    stoppedByTime,
    durationMs: Date.now() - started,
    concurrency: options.concurrency,
    outcomes: tally.outcomes,
    failures: [...tally.failures.values()],
    warnings: [...tally.warnings.values()],
    rss: { warmKiB: warm.rss, endKiB: last.rss, peakKiB, within },
    fds: { warm: warm.fds, end: last.fds },
    readings,
    heap,
    metricMethods,
    shutdown,
    serverErrorLines: server.errorLines,
    serverLogTail: server.logTail().slice(-20),
  };
}

/** A human-readable report of a run. */
export function formatSummary(summary: FuzzSummary): string {
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  const secs = summary.durationMs / 1000;
  const out: string[] = [];
  out.push(
    `Fuzz run: seed ${summary.seed}, ${summary.inputs} inputs (of ${summary.requested}) in ${
      secs.toFixed(1)
    } s ` +
      `(${(summary.inputs / secs).toFixed(0)}/s), concurrency ${summary.concurrency}` +
      (summary.stoppedByTime ? " — STOPPED BY THE TIME LIMIT" : ""),
  );
  out.push("Outcomes:");
  for (const [key, n] of [...summary.outcomes].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  ${key.padEnd(48)} ${n}`);
  }
  const change = summary.rss.warmKiB > 0
    ? ((summary.rss.endKiB / summary.rss.warmKiB - 1) * 100).toFixed(1)
    : "?";
  out.push(
    `RSS: after warm-up ${mib(summary.rss.warmKiB)}, at the end ${
      mib(summary.rss.endKiB)
    } (${change}%), ` +
      `peak ${mib(summary.rss.peakKiB)}; back within 10%: ${summary.rss.within ? "yes" : "NO"}`,
  );
  if (summary.heap) {
    const grew = ((summary.heap.endKiB / summary.heap.warmKiB - 1) * 100).toFixed(1);
    out.push(
      `JS heap after GC: after warm-up ${mib(summary.heap.warmKiB)}, at the end ${
        mib(summary.heap.endKiB)
      } (${grew}%); ` +
        `within 10%: ${summary.heap.within ? "yes" : "NO"}`,
    );
  }
  out.push(`Open fds: after warm-up ${summary.fds.warm}, at the end ${summary.fds.end}`);
  out.push(
    `Quiet readings (inputs: RSS (heap after GC), fds): ${
      summary.readings.map((r) =>
        `${r.inputs}: ${mib(r.rssKiB)}${r.heapKiB ? ` (heap ${mib(r.heapKiB)})` : ""}, ${r.fds}`
      ).join(" → ")
    }`,
  );
  if (summary.metricMethods !== undefined) {
    out.push(`Distinct method labels in /metrics: ${summary.metricMethods}`);
  }
  out.push(
    `Shutdown: SIGTERM → exit code ${summary.shutdown.code} in ${summary.shutdown.ms} ms` +
      (summary.shutdown.killed ? " (had to SIGKILL)" : ""),
  );
  out.push(`Server error log lines: ${summary.serverErrorLines}`);
  for (const group of summary.warnings) {
    out.push(`Warning ${group.kind}: ${group.count}`);
    for (const sample of group.samples.slice(0, 2)) {
      out.push(`    - ${sample.replace(/\n/g, "\n      ")}`);
    }
  }
  if (summary.failures.length === 0) out.push("Failures: none");
  else {
    out.push(`Failures: ${summary.failures.reduce((n, g) => n + g.count, 0)}`);
    for (const group of summary.failures) {
      out.push(`  ${group.kind}: ${group.count}`);
      for (const sample of group.samples) out.push(`    - ${sample.replace(/\n/g, "\n      ")}`);
    }
    if (summary.serverLogTail.length > 0) {
      out.push("Server log tail:");
      for (const line of summary.serverLogTail) out.push(`  ${line.slice(0, 400)}`);
    }
  }
  return out.join("\n");
}

function parseArgs(args: readonly string[]): Partial<FuzzOptions> {
  const out: Partial<FuzzOptions> = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    const value = () => {
      const raw = inline ?? args[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isFinite(n) || n < 0) {
        throw new Error(`Invalid value for ${flag}: ${raw}`);
      }
      return n;
    };
    if (flag === "--count") out.count = value();
    else if (flag === "--time") out.timeLimitMs = value() * 1000;
    else if (flag === "--concurrency") out.concurrency = Math.max(1, value());
    else if (flag === "--seed") out.seed = value();
    else if (flag === "--warmup") out.warmup = value();
    else if (flag === "--settle") out.settleMs = value() * 1000;
    else if (flag === "--final-settle") out.finalSettleMs = value() * 1000;
    else if (flag === "--timeout") out.timeoutMs = value() * 1000;
    else if (flag === "--phases") out.phases = Math.max(1, value());
    else if (flag === "--no-memory-check" || flag === "--no-rss-check") out.checkMemory = false;
    else if (flag === "--no-inspect") out.inspect = false;
    else throw new Error(`Unknown flag ${flag}`);
  }
  return out;
}

async function main(): Promise<void> {
  const options = parseArgs(Deno.args);
  const summary = await runFuzz({ ...options, log: (line) => console.error(line) });
  console.log(formatSummary(summary));
  Deno.exit(summary.failures.length > 0 ? 1 : 0);
}

if (import.meta.main) await main();
