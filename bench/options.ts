/**
 * The benchmark's options: which scenarios and servers run, and every
 * scenario's size. Each size has a full default (the issue's sizes) and a
 * quick one (`--quick`); any of them can be overridden by a flag
 * (`--s1-subscribers=500`) or an environment variable (`BENCH_S1_SUBSCRIBERS=500`);
 * a flag wins over the environment.
 *
 * @module
 */

/**
 * A benchmarked server. `ours-batch` is our server driven by `?batch=1`
 * clients; `floor-sized` is the floor sent texts long enough that its echoes
 * are as long as our v1 deliveries (S1 only; elsewhere it is the floor).
 */
export type ServerId = "ours" | "ours-batch" | "floor" | "floor-sized" | "bun" | "ws" | "socketio";
/** A scenario id. */
export type ScenarioId = "S1" | "S2" | "S3" | "S4" | "S5";

/** Every server, in report order. */
export const ALL_SERVERS: readonly ServerId[] = [
  "ours",
  "ours-batch",
  "floor",
  "floor-sized",
  "bun",
  "ws",
  "socketio",
];
/** Every scenario, in run order. */
export const ALL_SCENARIOS: readonly ScenarioId[] = ["S1", "S2", "S3", "S4", "S5"];

type Size = number | readonly number[] | readonly string[];

/** Sizes: `[full, quick]`. Keys are `<scenario>.<name>`. */
const SIZES = {
  // S1 fan-out
  "s1.subscribers": [1000, 200],
  "s1.publishers": [10, 5],
  "s1.textBytes": [100, 100],
  "s1.connectConcurrency": [50, 50],
  "s1.warmupMs": [2000, 1000],
  "s1.measureRate": [30, 30],
  "s1.measureMs": [6000, 2000],
  // The fixed load point after the CPU measure (the issue's 150 msg/s); 0 skips it.
  "s1.loadRate": [150, 150],
  "s1.loadMs": [5000, 2000],
  // BATCH_WINDOW_MS values tried on `?batch=1` clients at the CPU measure and the load point.
  "s1.batchWindows": [[0, 10, 20, 40], [0, 20]],
  // Rounds of the 30 msg/s CPU measure taken in turn on every server, all of them running at once.
  "s1.cpuRounds": [3, 1],
  "s1.rates": [
    [50, 75, 100, 140, 200, 280, 400, 560, 800, 1100, 1600, 2200, 3200],
    [60, 150, 400, 1100, 3200],
  ],
  "s1.refine": [2, 1],
  "s1.retries": [2, 1],
  "s1.stepMs": [4000, 1500],
  "s1.drainMs": [3000, 2000],
  "s1.p99LimitMs": [50, 50],
  // S2 many rooms
  "s2.rooms": [1000, 100],
  "s2.perRoom": [10, 10],
  "s2.perRoomRate": [1, 1],
  "s2.durationMs": [10000, 3000],
  "s2.connectConcurrency": [100, 50],
  "s2.settleMs": [1000, 500],
  "s2.drainMs": [3000, 2000],
  "s2.textBytes": [100, 100],
  // S3 connect storm
  "s3.connects": [2000, 400],
  "s3.concurrency": [50, 50],
  "s3.rooms": [100, 20],
  "s3.rounds": [3, 2],
  "s3.warmup": [500, 100],
  "s3.pauseMs": [1000, 500],
  // Storm rounds taken in turn on every server, all of them running at once.
  "s3.interleavedRounds": [3, 1],
  // S4 sign-up and login at the default hash cost
  "s4.accounts": [16, 4],
  "s4.concurrency": [4, 2],
  "s4.roomMembers": [200, 50],
  "s4.roomRate": [50, 20],
  "s4.baselineMs": [5000, 2000],
  "s4.drainMs": [3000, 2000],
  "s4.textBytes": [100, 100],
  // S5 history
  "s5.messages": [1_000_000, 100_000],
  "s5.requests": [2000, 300],
  "s5.warmup": [100, 30],
  "s5.concurrency": [1, 1],
  "s5.limit": [50, 50],
  "s5.stores": [["sqlite", "kv"], ["sqlite", "kv"]],
} as const satisfies Record<string, readonly [Size, Size]>;

/** A size key. */
export type SizeKey = keyof typeof SIZES;

/** Parsed options. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioId[];
  readonly servers: readonly ServerId[];
  /** Also run the `deno bench` micro-benchmarks and include them. */
  readonly micro: boolean;
  /** The load generator's WebSocket client: a minimal raw one, or npm `ws`. */
  readonly client: "raw" | "ws";
  /** Scenarios (S1–S3) to run once more under `--cpu-prof`, with the profile summarised. */
  readonly profile: readonly ScenarioId[];
  /** The Deno servers profiled (`ours`, `ours-batch`, `floor`). */
  readonly profileServers: readonly ServerId[];
  /** Where RESULTS.md is written. */
  readonly out: string;
  /** Where the raw JSON results are written. */
  readonly json: string;
  /** Sizes after defaults, quick mode and overrides. */
  readonly sizes: {
    readonly [K in SizeKey]: (typeof SIZES)[K][0] extends number ? number
      : readonly (number | string)[];
  };
  /** Overrides that were applied, for the report. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** Raised for a bad flag or variable; the message names it. */
export class OptionsError extends Error {
  override name = "OptionsError";
}

const flagName = (key: string) =>
  `--${key.replace(".", "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const envName = (key: string) =>
  `BENCH_${key.replace(".", "_").replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function parseSize(name: string, raw: string, like: Size): Size {
  if (Array.isArray(like)) {
    const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
    if (typeof like[0] === "number") {
      const numbers = items.map(Number);
      // A list whose default holds a 0 (e.g. the batch windows) may hold 0s.
      const least = (like as readonly number[]).includes(0) ? 0 : Number.MIN_VALUE;
      if (numbers.length === 0 || numbers.some((n) => !(n >= least) || !Number.isFinite(n))) {
        throw new OptionsError(
          `Invalid ${name} "${raw}": expected ${
            least === 0 ? "non-negative" : "positive"
          } numbers separated by commas`,
        );
      }
      return numbers;
    }
    return items;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !(value >= 0)) {
    throw new OptionsError(`Invalid ${name} "${raw}": expected a whole number`);
  }
  return value;
}

function list<T extends string>(name: string, raw: string, all: readonly T[]): T[] {
  const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!(all as readonly string[]).includes(item)) {
      throw new OptionsError(`Invalid ${name} entry "${item}": expected one of ${all.join(", ")}`);
    }
  }
  return all.filter((x) => items.includes(x));
}

/**
 * Reads options from command-line arguments and environment variables.
 *
 * @param args e.g. `["--quick", "--only=S1,S3", "--s1-subscribers=500"]`
 * @param env a plain record such as `Deno.env.toObject()`
 * @throws {OptionsError} naming the first bad flag or variable
 */
export function parseOptions(
  args: readonly string[],
  env: Record<string, string | undefined>,
): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of args) {
    const match = /^(--[a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new OptionsError(`Unknown argument "${arg}"`);
    flags.set(match[1]!, match[2] ?? "true");
  }
  const take = (flag: string) => {
    const value = flags.get(flag);
    flags.delete(flag);
    return value;
  };
  const bool = (flag: string, fallback: boolean) => {
    const value = take(flag);
    if (value === undefined) return fallback;
    return value !== "false" && value !== "0";
  };

  const quick = bool("--quick", env.BENCH_QUICK === "1");
  const only = take("--only") ?? env.BENCH_ONLY;
  const servers = take("--servers") ?? env.BENCH_SERVERS;
  const micro = !bool("--no-micro", false) && bool("--micro", true);
  const profileRaw = take("--profile") ?? env.BENCH_PROFILE;
  const profile = profileRaw === undefined || profileRaw === "false"
    ? []
    : profileRaw === "true" || profileRaw === ""
    ? ["S1" as const]
    : list("--profile", profileRaw.toUpperCase(), ["S1", "S2", "S3"] as const);
  const profileServersRaw = take("--profile-servers") ?? env.BENCH_PROFILE_SERVERS;
  const profileServers = profileServersRaw
    ? list("--profile-servers", profileServersRaw, ["ours", "ours-batch", "floor"] as const)
    : ["ours" as const, "floor" as const];
  const client = take("--client") ?? env.BENCH_CLIENT ?? "raw";
  if (client !== "raw" && client !== "ws") {
    throw new OptionsError(`Invalid --client "${client}": expected raw or ws`);
  }
  const out = take("--out") ?? "bench/RESULTS.md";
  const json = take("--json") ?? "bench/results.json";

  const sizes: Record<string, Size> = {};
  const overrides: Record<string, string> = {};
  for (
    const [key, [full, quickValue]] of Object.entries(SIZES) as [string, readonly [Size, Size]][]
  ) {
    const flag = flagName(key);
    const fromFlag = take(flag);
    const fromEnv = env[envName(key)];
    const raw = fromFlag ?? fromEnv;
    if (raw !== undefined && raw !== "") {
      sizes[key] = parseSize(fromFlag !== undefined ? flag : envName(key), raw, full);
      overrides[key] = raw;
    } else {
      sizes[key] = quick ? quickValue : full;
    }
  }
  const left = [...flags.keys()];
  if (left.length > 0) {
    throw new OptionsError(
      `Unknown flag "${
        left[0]
      }": known flags are --quick, --only, --servers, --client, --no-micro, --profile, --profile-servers, --out, --json and ${
        Object.keys(SIZES).map(flagName).join(", ")
      }`,
    );
  }
  const scenarios = only === "none"
    ? []
    : only
    ? list("--only", only.toUpperCase(), ALL_SCENARIOS)
    : [...ALL_SCENARIOS];
  return {
    quick,
    scenarios,
    servers: servers ? list("--servers", servers, ALL_SERVERS) : [...ALL_SERVERS],
    micro,
    client,
    profile,
    profileServers,
    out,
    json,
    sizes: sizes as unknown as BenchOptions["sizes"],
    overrides,
  };
}

/** The sizes of one scenario as a plain record, keys without the scenario prefix. */
export function scenarioSizes(
  options: BenchOptions,
  scenario: ScenarioId,
): Record<string, unknown> {
  const prefix = `${scenario.toLowerCase()}.`;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.sizes)) {
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  }
  return out;
}

/** The flag that sets a size, e.g. `--s1-subscribers`. */
export function sizeFlag(key: SizeKey): string {
  return flagName(key);
}
