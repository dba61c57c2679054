/**
 * The shapes of the load generator's results (`bench/peers/loadgen.mjs`) and
 * of one whole benchmark run, as written to `results.json`.
 *
 * @module
 */
import type { ServerId } from "./options.ts";

/** Latency quantiles in milliseconds; `null` when nothing arrived. */
export interface Latency {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** CPU and wall time over an interval. */
export interface Metered {
  wallMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  /** Percent of one core. */
  serverCpuPct: number;
  clientCpuPct: number;
}

/** Connection trouble seen by the load generator. */
export interface Health {
  unexpectedCloses: number;
  closeCodes: Record<string, number>;
  errors: number;
  lastError: string;
}

/** One rate step of S1. */
export interface FanoutStep extends Metered {
  rate: number;
  sent: number;
  expected: number;
  delivered: number;
  lossPct: number;
  /** Deliveries by the end of the drain, per second of sending. */
  deliveriesPerSec: number;
  /** Deliveries that arrived while the step was still sending, per second of sending. */
  sendingDeliveriesPerSec?: number;
  /** Deliveries per frame that carried one (above 1 when the server batches). */
  messagesPerFrame?: number | null;
  latency: Latency;
  sendLagP99Ms: number | null;
  serverCpuUsPerDelivery: number | null;
  clientCpuUsPerDelivery: number | null;
  /** A second try of a rate that failed once. */
  retry?: boolean;
  /** A rate between the last passing and the first failing one. */
  refine?: boolean;
}

/** S1 on one server. */
export interface FanoutResult {
  members: number;
  connectFailures: number;
  /** The step at `s1.measureRate` (30 messages/s). */
  measure: FanoutStep;
  /** The step at `s1.loadRate` (150 messages/s), when it ran. */
  load?: FanoutStep | null;
  ramp: FanoutStep[];
  /** The step with the most deliveries/s within the p99 limit and ≤ 1 % loss. */
  best: FanoutStep | null;
  /** The last rate tried was still within the limit: the best figure is a lower bound. */
  rampExhausted: boolean;
  serverRssKb: number;
  health: Health;
}

/**
 * One figure taken in rounds, every server in turn while all of them run, so
 * that a machine whose speed drifts over the run treats them alike.
 */
export interface Interleaved {
  /** The figure of each round, in run order. */
  rounds: number[];
  median: number;
}

/** S1's load point in interleaved rounds: each figure's rounds and median. */
export interface S1LoadInterleaved {
  /** Server CPU µs per delivery. */
  cpu: Partial<Record<ServerId, Interleaved | Failure>>;
  /** Deliveries/s that arrived while sending. */
  deliveriesPerSec: Partial<Record<ServerId, Interleaved | Failure>>;
  /** Delivery p99 in ms. */
  p99: Partial<Record<ServerId, Interleaved | Failure>>;
}

/** One `BATCH_WINDOW_MS` value on `?batch=1` clients. */
export interface BatchWindowRun {
  windowMs: number;
  /** The CPU measure step (30 msg/s). */
  measure: FanoutStep;
  /** The load step (150 msg/s). */
  load: FanoutStep | null;
}

/** The `BATCH_WINDOW_MS` series. */
export interface BatchWindowResult {
  /** Whether the server was seen to honour the variable; the rows are reported only then. */
  honoured: boolean;
  /** How that was decided. */
  evidence: string;
  runs: (BatchWindowRun | (Failure & { windowMs: number }))[];
}

/** S2 on one server. */
export interface RoomsResult {
  sockets: number;
  connectFailures: number;
  connect: Metered;
  rate: number;
  sent: number;
  expected: number;
  delivered: number;
  lossPct: number;
  latency: Latency;
  sendLagP99Ms: number | null;
  traffic: Metered;
  idleRssKb: number;
  connectedRssKb: number;
  afterRssKb: number;
  rssPerSocketKb: number | null;
  serverCpuUsPerDelivery: number | null;
  health: Health;
}

/** One round of S3. */
export interface StormRound extends Metered {
  connected: number;
  failures: number;
  firstError: string;
  connectsPerSec: number;
  serverCpuUsPerConnect: number | null;
  clientCpuUsPerConnect: number | null;
}

/** S3 on one server. */
export interface StormResult {
  rounds: StormRound[];
  median: StormRound | null;
  health: Health;
}

/** The busy room over one phase of S4. */
export interface RoomPhase {
  sent: number;
  expected: number;
  delivered: number;
  latency: Latency;
}

/** Sign-ups or logins in S4. */
export interface AuthPhase extends Metered {
  requests: number;
  statuses: Record<string, number>;
  perSec: number;
  latencyMs: { p50: number | null; p99: number | null; max: number | null };
  room: RoomPhase;
}

/** S4 on our server. */
export interface LoginsResult {
  members: number;
  roomRate: number;
  baseline: RoomPhase & Metered;
  signUps: AuthPhase;
  logins: AuthPhase;
  health: Health;
}

/** S5 on one store. */
export interface HistoryResult extends Metered {
  requests: number;
  failures: number;
  firstError: string;
  statuses: Record<string, number>;
  perSec: number;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  serverCpuUsPerRequest: number | null;
  /** How long seeding took, in ms. */
  seedMs?: number;
}

/** A scenario that could not run on a server, and why. */
export interface Failure {
  error: string;
}

/** One `deno bench` entry. */
export interface MicroResult {
  file: string;
  name: string;
  group?: string;
  /** Nanoseconds per iteration. */
  avgNs: number;
  p99Ns: number;
}

/** One hot function of a CPU profile. */
export interface ProfileEntry {
  name: string;
  location: string;
  selfPct: number;
  totalPct: number;
}

/** The CPU profile of our server under one scenario. */
export interface ProfileResult {
  file: string;
  totalMs: number;
  idlePct: number;
  topSelf: ProfileEntry[];
  topTotal: ProfileEntry[];
  /** Busy time by the code that spent it (see `profile_summary.ts`), in percent. */
  categories: { name: string; pct: number }[];
  /** The profiled run's CPU per delivery at the 30 msg/s measure and at the load point (S1). */
  usPerDelivery?: { measure: number | null; load: number | null };
}

/** Everything one run measured. */
export interface RunResults {
  machine: Record<string, string>;
  command: string;
  quick: boolean;
  /** The load generator's client: `raw` (minimal, default) or `ws` (npm `ws`). */
  client: "raw" | "ws";
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  sizes: Record<string, unknown>;
  overrides: Record<string, string>;
  s1: Partial<Record<ServerId, FanoutResult | Failure>>;
  /** S1's server CPU µs per delivery at 30 msg/s in interleaved rounds (`s1.cpuRounds`). */
  s1Cpu?: Partial<Record<ServerId, Interleaved | Failure>>;
  /** S1's load point (150 msg/s) in the same interleaved rounds. */
  s1Load?: S1LoadInterleaved;
  /** `BATCH_WINDOW_MS` on `?batch=1` clients, or why it was skipped. */
  s1Windows?: BatchWindowResult | (Failure & { skipped?: boolean });
  s2: Partial<Record<ServerId, RoomsResult | Failure>>;
  s3: Partial<Record<ServerId, StormResult | Failure>>;
  /** S3's connects/s in interleaved rounds (`s3.interleavedRounds`). */
  s3Interleaved?: Partial<Record<ServerId, Interleaved | Failure>>;
  s4?: LoginsResult | Failure;
  s5: Partial<Record<"sqlite" | "kv", HistoryResult | Failure>>;
  micro?: MicroResult[] | Failure;
  /** By scenario (`--profile=S1,S3`), then by server (`--profile-servers`). */
  profile?: Partial<
    Record<"S1" | "S2" | "S3", Partial<Record<ServerId, ProfileResult | Failure>>>
  >;
  notes: string[];
}

/** Tells a failure from a result. */
export function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && "error" in value &&
    typeof (value as Failure).error === "string";
}
