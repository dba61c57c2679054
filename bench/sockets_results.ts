/**
 * The shapes of S6's results (`deno task bench:sockets`), as written to
 * `bench/sockets.json` and read back by the reports.
 *
 * @module
 */
import type { Failure, Health, Latency } from "./results.ts";

/** An S6 setup: one server process at the one-process count, or three at the three-process count. */
export type SetupId = "ours" | "floor" | "bun" | "ours-redis" | "floor-3";

/** Memory of the server processes, summed over them, in KiB. */
export interface SetupMemory {
  /** After a warm-up, before the sockets open. */
  idleKb: number;
  /** Once every socket is open and the process has settled. */
  connectedKb: number;
  /** After the traffic. */
  afterKb: number;
  /** Growth over idle at the larger of connected and after, per open socket. */
  perSocketKb: number | null;
  /** Growth over idle once connected, before any traffic, per open socket. */
  idlePerSocketKb?: number | null;
  /** Each process's own figures. */
  perProcess: { idleKb: number; connectedKb: number; afterKb: number }[];
}

/** One S6 setup's figures. */
export interface SetupResult {
  id: SetupId;
  /** Server processes. */
  processes: number;
  /** Client processes and the loopback addresses they left from. */
  workers: number;
  sourceAddresses: string[];
  /** The store and bus of our server, or "–" for a peer. */
  engine: string;
  sockets: { target: number; opened: number; failures: number; firstError: string };
  /** Members of the busy room (the rest are idle across the idle rooms). */
  bigMembers: number;
  idleRooms: number;
  /** The servers' CPU with every socket open and nothing sent. */
  quiet?: { ms: number; serverCpuMs: number; usPerSocketSec: number | null };
  connect: {
    wallMs: number;
    connectsPerSec: number;
    serverCpuMs: number;
    serverCpuUsPerConnect: number | null;
  };
  memory: SetupMemory;
  traffic: {
    rate: number;
    durationMs: number;
    sent: number;
    expected: number;
    delivered: number;
    lost: number;
    lossPct: number;
    latency: Latency;
    /** The same for each server process's own sockets (several processes), the publisher's first. */
    latencyByProcess?: Latency[];
    sendLagP99Ms: number | null;
    serverCpuMs: number;
    serverCpuUsPerDelivery: number | null;
    /** The same less what the open sockets cost meanwhile with nothing sent (`quiet`). */
    deliveryCpuUsPerDelivery?: number | null;
    /** Redis's CPU over the traffic (Redis setups). */
    redisCpuMs?: number;
  };
  /** Sockets still open when the traffic was counted. */
  openAtEnd: number;
  health: Health;
  durationSec: number;
}

/** Everything one `bench:sockets` run measured. */
export interface SocketsResults {
  machine: Record<string, string>;
  command: string;
  quick: boolean;
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  sizes: Record<string, number>;
  setups: Partial<Record<SetupId, SetupResult | Failure>>;
  notes: string[];
}
