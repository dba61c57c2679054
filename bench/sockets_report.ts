/**
 * Renders S6's results as `bench/SOCKETS.md`: the machine, each setup's
 * figures, the targets marked met or not, and the paper estimate of what one
 * 16-core box with a raised fd limit would hold, worked from the measured
 * per-socket costs. Also gives `RESULTS.md` S6's target rows and summary.
 *
 * @module
 */
import {
  headerTable,
  mark,
  mb,
  num,
  ok,
  quickNote,
  ratio,
  table,
  type TargetRow,
  times,
  verdict,
} from "./report_format.ts";
import { isFailure } from "./results.ts";
import type { SetupId, SetupResult, SocketsResults } from "./sockets_results.ts";

const LABELS: Record<SetupId, string> = {
  ours: "ours, one process",
  floor: "bare Deno floor, one process",
  bun: "Bun, one process",
  "ours-redis": "ours, three processes on Redis",
  "floor-3": "bare Deno floor, three processes (memory only)",
};

/** The box of the paper estimate. */
export const BOX = {
  cores: 16,
  memoryGiB: 64,
  /** Server processes: one per core, less one core for Redis and the kernel's network work. */
  processes: 15,
  /** The share of a core a process may use before latency suffers. */
  cpuBudget: 0.7,
  /** The share of memory the servers may take. */
  memoryBudget: 0.8,
} as const;

const get = (r: SocketsResults, id: SetupId): SetupResult | undefined => ok(r.setups[id]);

function lossless(s: SetupResult): boolean {
  return s.traffic.lost === 0 && s.sockets.failures === 0 && s.openAtEnd === s.sockets.opened &&
    s.health.unexpectedCloses === 0;
}

const lossText = (s: SetupResult) =>
  `${num(s.traffic.delivered)} of ${num(s.traffic.expected)} deliveries (${
    num(s.traffic.lost)
  } lost), ${num(s.sockets.failures)} connects failed, ${
    num(s.sockets.opened - s.openAtEnd)
  } sockets dropped, ${num(s.health.unexpectedCloses)} unexpected closes`;

/** The floor S6 compares a setup's memory with: the floor at the same count when it ran, else at the one-process count. */
function floorFor(r: SocketsResults, id: SetupId): { floor?: SetupResult; how: string } {
  if (id === "ours") return { floor: get(r, "floor"), how: "the floor at the same count" };
  const three = get(r, "floor-3");
  if (three) return { floor: three, how: "three floor processes at the same count" };
  return {
    floor: get(r, "floor"),
    how: "the floor at the one-process count (it cannot take this count in one process)",
  };
}

/** S6's targets. */
export function socketsTargets(r: SocketsResults): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const id of ["ours", "ours-redis"] as const) {
    const s = get(r, id);
    const count = num(r.sizes[id === "ours" ? "one-sockets" : "three-sockets"]);
    const where = id === "ours" ? "on one process" : "on three processes (Redis)";
    const { floor, how } = floorFor(r, id);
    rows.push({
      target: `S6 ${count} sockets ${where}: RSS per socket ≤ 1.1× the floor's`,
      figures: `${num(s?.memory.perSocketKb, 2)} KiB vs ${
        num(floor?.memory.perSocketKb, 2)
      } KiB, ${how} (${times(ratio(s?.memory.perSocketKb, floor?.memory.perSocketKb))})`,
      verdict: verdict(
        floor?.memory.perSocketKb == null ? undefined : s?.memory.perSocketKb,
        (v) => v <= 1.1 * floor!.memory.perSocketKb!,
      ),
    });
    rows.push({
      target: `S6 ${count} sockets ${where}: delivery p99 ≤ 500 ms`,
      figures: s
        ? `p99 ${num(s.traffic.latency.p99, 1)} ms (p50 ${num(s.traffic.latency.p50, 1)}, max ${
          num(s.traffic.latency.max, 1)
        }) over ${num(s.traffic.delivered)} deliveries to ${num(s.bigMembers)} busy-room members`
        : "–",
      verdict: verdict(s?.traffic.latency.p99, (v) => v <= 500),
    });
    rows.push({
      target: `S6 ${count} sockets ${where}: nothing lost`,
      figures: s ? lossText(s) : "–",
      verdict: s ? (lossless(s) ? "met" : "not met") : "not measured",
    });
  }
  return rows;
}

/** One line per setup for `RESULTS.md`. */
export function socketsSummary(r: SocketsResults): string[] {
  return (Object.keys(r.setups) as SetupId[]).map((id) => {
    const s = get(r, id);
    if (!s) return `- ${LABELS[id]}: did not run.`;
    return `- ${LABELS[id]}: ${num(s.sockets.opened)} sockets at ${
      num(s.connect.connectsPerSec)
    } connects/s, ${num(s.memory.perSocketKb, 2)} KiB RSS per socket, p99 ${
      num(s.traffic.latency.p99, 1)
    } ms, ${num(s.traffic.lost)} deliveries lost.`;
  });
}

function setupTable(r: SocketsResults): string {
  const floor = get(r, "floor");
  const bun = get(r, "bun");
  const rows = (Object.keys(r.setups) as SetupId[]).flatMap((id) => {
    const s = get(r, id);
    if (!s) return [];
    return [[
      LABELS[id],
      s.engine,
      `${num(s.processes)} / ${num(s.workers)}`,
      `${num(s.sockets.opened)} of ${num(s.sockets.target)}`,
      num(s.bigMembers),
      num(s.connect.connectsPerSec),
      num(s.connect.serverCpuUsPerConnect, 1),
      mb(s.memory.idleKb),
      mb(s.memory.connectedKb),
      mb(s.memory.afterKb),
      num(s.memory.idlePerSocketKb, 2),
      num(s.memory.perSocketKb, 2),
      times(ratio(s.memory.perSocketKb, floor?.memory.perSocketKb)),
      times(ratio(s.memory.perSocketKb, bun?.memory.perSocketKb)),
      `${num(s.traffic.latency.p50, 1)} / ${num(s.traffic.latency.p99, 1)} / ${
        num(s.traffic.latency.max, 1)
      }`,
      `${num(s.traffic.delivered)} of ${num(s.traffic.expected)}`,
      num(s.quiet?.usPerSocketSec, 3),
      num(s.traffic.serverCpuUsPerDelivery, 3),
      num(s.traffic.deliveryCpuUsPerDelivery, 3),
      s.traffic.redisCpuMs === undefined ? "–" : num(s.traffic.redisCpuMs),
      [
        s.sockets.failures ? `${s.sockets.failures} connects failed: ${s.sockets.firstError}` : "",
        s.openAtEnd !== s.sockets.opened ? `${s.sockets.opened - s.openAtEnd} dropped` : "",
        s.health.unexpectedCloses
          ? `${s.health.unexpectedCloses} closes ${JSON.stringify(s.health.closeCodes)}`
          : "",
        s.traffic.latencyByProcess
          ? `p50 / p99 ms by process (the publisher's first): ${
            s.traffic.latencyByProcess.map((l) => `${num(l.p50, 1)} / ${num(l.p99, 1)}`).join(
              ", ",
            )
          }`
          : "",
        (s.traffic.sendLagP99Ms ?? 0) > 50
          ? `publisher late by ${num(s.traffic.sendLagP99Ms, 1)} ms`
          : "",
      ].filter(Boolean).join("; ") || " ",
    ]];
  });
  return table(
    [
      "setup",
      "engine",
      "server / client processes",
      "sockets",
      "busy-room members",
      "connects/s",
      "server µs/connect",
      "RSS idle MiB",
      "RSS connected MiB",
      "RSS after traffic MiB",
      "KiB/socket connected, idle",
      "KiB/socket (peak)",
      "vs floor (one process)",
      "vs Bun",
      "p50 / p99 / max ms",
      "delivered",
      "idle server µs per socket-second",
      "server µs/delivery",
      "less the idle cost",
      "Redis CPU ms",
      "notes",
    ],
    rows,
  );
}

/** What one 16-core box would hold, from one setup's measured costs. */
export interface BoxEstimate {
  setup: SetupId;
  kibPerSocket: number;
  baselineMiB: number;
  /** Sockets memory allows, all idle. */
  byMemory: number;
  /** Sockets the CPU allows, all idle (pings, timers, presence). */
  byCpuIdle: number | null;
  /** Sockets the CPU allows when every socket receives 1 message/s. */
  byCpuAtOnePerSec: number | null;
  /** Seconds for every socket of `byMemory` (or the CPU bound, the smaller) to reconnect at once. */
  reconnectSec: number | null;
}

/** Works the paper estimate from a setup's figures. */
export function estimateBox(s: SetupResult): BoxEstimate | undefined {
  const kib = s.memory.perSocketKb;
  if (kib == null || kib <= 0) return undefined;
  const baselineKb = s.memory.idleKb / s.processes;
  const memoryKb = BOX.memoryGiB * 1024 * 1024 * BOX.memoryBudget - BOX.processes * baselineKb;
  const byMemory = Math.floor(memoryKb / kib);
  const cpuUs = BOX.processes * BOX.cpuBudget * 1e6;
  const idle = s.quiet?.usPerSocketSec ?? null;
  // A socket at 1 msg/s costs its idle share and one delivery a second; without the
  // quiet measure, the traffic's whole CPU per delivery stands for both.
  const perDelivery = s.traffic.deliveryCpuUsPerDelivery ?? s.traffic.serverCpuUsPerDelivery;
  const perSocketAtOne = perDelivery == null
    ? null
    : idle !== null && s.traffic.deliveryCpuUsPerDelivery != null
    ? idle + perDelivery
    : perDelivery;
  const byCpu = perSocketAtOne ? Math.floor(cpuUs / perSocketAtOne) : null;
  const held = Math.min(byMemory, byCpu ?? Infinity);
  const perConnect = s.connect.serverCpuUsPerConnect;
  return {
    setup: s.id,
    kibPerSocket: kib,
    baselineMiB: baselineKb / 1024,
    byMemory,
    byCpuIdle: idle ? Math.floor(cpuUs / idle) : null,
    byCpuAtOnePerSec: byCpu,
    reconnectSec: perConnect ? (held * perConnect) / cpuUs : null,
  };
}

function estimateSection(r: SocketsResults): string[] {
  const ids: SetupId[] = ["ours-redis", "ours", "floor", "bun"];
  const estimates = ids.flatMap((id) => {
    const s = get(r, id);
    const e = s && estimateBox(s);
    return e ? [e] : [];
  });
  if (estimates.length === 0) return [];
  const ours = estimates.find((e) => e.setup === "ours-redis") ??
    estimates.find((e) => e.setup === "ours");
  const held = ours ? Math.min(ours.byMemory, ours.byCpuAtOnePerSec ?? Infinity) : undefined;
  return [
    "## On paper: one 16-core box with a raised fd limit",
    "",
    `Assumed: ${BOX.cores} cores of this machine's speed, ${BOX.memoryGiB} GiB, the fd limit raised past the sockets per process (\`ulimit -n\` 1,048,576), ${BOX.processes} server processes (one per core, one core left to Redis and the kernel's network work) on the Redis engine, each process at most ${
      BOX.cpuBudget * 100
    } % busy, the servers in at most ${
      BOX.memoryBudget * 100
    } % of memory. Worked from the measured figures above: sockets by memory = (memory budget − processes × idle RSS per process) ÷ KiB per socket; sockets by CPU, all idle = processes × CPU budget ÷ the idle µs per socket-second (measured over a quiet spell with every socket open: pings, timers, presence refreshes); at 1 message/s each = processes × CPU budget ÷ (idle µs per socket-second + µs per delivery less the idle cost); reconnect = the smaller bound × server µs per connect ÷ the CPU budget. Loopback charges both ends' kernel work to this box, a real network charges only the server's half, so the CPU bounds are conservative.`,
    "",
    table(
      [
        "from the setup",
        "KiB/socket",
        "idle RSS per process MiB",
        "sockets by memory (all idle)",
        "sockets by CPU (all idle)",
        "sockets by CPU (each at 1 msg/s)",
        "all of them reconnecting s",
      ],
      estimates.map((e) => [
        LABELS[e.setup],
        num(e.kibPerSocket, 2),
        num(e.baselineMiB, 1),
        num(e.byMemory),
        num(e.byCpuIdle),
        num(e.byCpuAtOnePerSec),
        num(e.reconnectSec, 1),
      ]),
    ),
    "",
    ours && held !== undefined
      ? `So one such box would hold about **${
        num(Math.min(ours.byMemory, ours.byCpuIdle ?? Infinity))
      } idle sockets** of our server (${
        ours.byMemory <= (ours.byCpuIdle ?? Infinity) ? "memory-bound" : "CPU-bound"
      }), or **${num(held)} sockets that each receive 1 message/s** (${
        held < ours.byMemory ? "CPU-bound" : "still memory-bound"
      }), from the ${
        LABELS[ours.setup]
      } figures. Redis itself sends one publish to each subscribed process, not to each socket, so it does not bound this.`
      : "",
    "",
  ];
}

/** Renders `SOCKETS.md`. */
export function renderSocketsReport(r: SocketsResults): string {
  const targets = socketsTargets(r);
  const met = targets.filter((t) => t.verdict === "met").length;
  const measured = targets.filter((t) => t.verdict !== "not measured").length;
  const z = r.sizes;
  return [
    "# S6: as many sockets as this machine allows",
    "",
    quickNote(r.quick),
    headerTable(r),
    "",
    `The open-file limit here is ${
      r.machine["fd limit (soft / hard)"] ?? "?"
    } per process, so one server process holds ${num(z["one-sockets"])} sockets (${
      num(z["one-big"])
    } of them in one busy room, the rest idle across ${
      num(z["idle-rooms"])
    } rooms) and three processes on the Redis engine hold ${num(z["three-sockets"])} (${
      num(z["three-big"])
    } in the busy room, spread evenly over the processes; socket i goes to process i mod 3). The busy room receives ${
      num(z.rate)
    } message/s for ${
      num(z.seconds)
    } s from one publisher (a signed-in socket on our server). The sockets are held by ${
      num(z["one-workers"])
    } (one process) or ${
      num(z["three-workers"])
    } (three processes) Node client processes (\`bench/peers/sockets_worker.mjs\`, the raw client of \`loadgen.mjs\`), each leaving from its own loopback address (127.0.0.2, 127.0.0.3, …; each setup has its own, so one setup's TIME_WAIT ports do not crowd the next), at most ${
      num(z.concurrency)
    } connects in flight each. Latency is send to receipt on the epoch clock, which every client process shares. RSS per socket (peak, what the targets use) is the servers' summed VmRSS growth over their warmed-up idle processes, at the larger of connected and after traffic, divided by the open sockets; "connected, idle" is the growth once every socket is open, before any traffic (the write buffers the traffic leaves are not in it). Connects/s is every socket opened over the wall time of the whole connect phase. On this 2-core machine the server processes, the client processes and Redis share the cores: a message to 10,000 members is 10,000 frames for the clients to read, so the latencies are mostly the machine's, alike for every server (compare them side by side), and the client's reading time counts in them.`,
    "",
    `## Targets (${met} of ${measured} measured targets met)`,
    "",
    table(
      ["target", "figures (same run)", "verdict"],
      targets.map((t) => [t.target, t.figures, mark(t.verdict)]),
    ),
    "",
    "## Setups",
    "",
    setupTable(r),
    "",
    ...Object.entries(r.setups).flatMap(([id, v]) =>
      isFailure(v) ? [`- ${LABELS[id as SetupId]}: did not run: ${v.error.split("\n")[0]}`] : []
    ),
    "",
    ...estimateSection(r),
    r.notes.length ? ["## Notes", "", ...r.notes.map((n) => `- ${n}`), ""].join("\n") : "",
    "## How to run",
    "",
    "```sh",
    "deno task bench:sockets              # every setup at full size (about 6 minutes on 2 cores)",
    "deno task bench:sockets --quick      # reduced sizes",
    "deno task bench:sockets --setups=ours,floor --one-sockets=5000 --one-big=2000",
    "```",
    "",
  ].join("\n").replace(/\n{3,}/g, "\n\n");
}
