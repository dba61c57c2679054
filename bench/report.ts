/**
 * Renders one run's results as `RESULTS.md`: the machine, the command, every
 * scenario's figures and ratios, and each target marked met or not met.
 *
 * @module
 */
import type { ServerId } from "./options.ts";
import {
  type FanoutResult,
  type HistoryResult,
  type Interleaved,
  isFailure,
  type LoginsResult,
  type RoomsResult,
  type RunResults,
  type StormResult,
} from "./results.ts";

/** A target's verdict. */
export type Verdict = "met" | "not met" | "not measured";

/** One target, evaluated. */
export interface TargetRow {
  readonly target: string;
  readonly figures: string;
  readonly verdict: Verdict;
}

const LABELS: Record<ServerId, string> = {
  ours: "ours (default client)",
  "ours-batch": "ours (`?batch=1` client)",
  floor: "bare Deno floor",
  ws: "bare `ws` (Node)",
  socketio: "Socket.IO 4 (Node)",
};

/** A client at or above this share of one core may be what limits a figure. */
export const CLIENT_BOUND_PCT = 90;

const ok = <T>(value: T | { error: string } | undefined): T | undefined =>
  value === undefined || isFailure(value) ? undefined : value;

/** Formats a number with thousands separators and at most `digits` decimals. */
export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a !== null && a !== undefined && b !== null && b !== undefined && b > 0 ? a / b : undefined;
const times = (r: number | undefined) => (r === undefined ? "–" : `${r.toFixed(2)}×`);
const mb = (kb: number) => `${(kb / 1024).toFixed(1)}`;

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * S1's server CPU per delivery at 30 msg/s: the median of the interleaved
 * rounds when they ran, else the S1 run's own measure step.
 */
export function s1CpuOf(r: RunResults, id: ServerId): number | null | undefined {
  const interleaved = ok(r.s1Cpu?.[id]);
  return interleaved ? interleaved.median : ok(r.s1[id])?.measure.serverCpuUsPerDelivery;
}

/** S3's connects/s: the interleaved median when measured, else the S3 run's own median round. */
export function s3RateOf(r: RunResults, id: ServerId): number | null | undefined {
  const interleaved = ok(r.s3Interleaved?.[id]);
  return interleaved ? interleaved.median : ok(r.s3[id])?.median?.connectsPerSec;
}

/** Evaluates every target of the issue against one run. */
export function evaluateTargets(r: RunResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const sio1 = ok(r.s1.socketio);
  const rounds = ok(r.s1Cpu?.ours)?.rounds.length;
  const how = rounds ? `, medians of ${rounds} interleaved rounds` : "";
  /** The S1 run's own measure (the first after start), shown beside the interleaved medians. */
  const first = (id: ServerId, other: ServerId) => {
    if (!rounds) return "";
    const a = ok(r.s1[id])?.measure.serverCpuUsPerDelivery;
    const b = ok(r.s1[other])?.measure.serverCpuUsPerDelivery;
    return `; first measure after start: ${num(a, 3)} vs ${num(b, 3)} µs, ${times(ratio(a, b))}`;
  };
  for (const id of ["ours", "ours-batch"] as const) {
    const ours = ok(r.s1[id]);
    const label = id === "ours" ? "default client" : "batch client";
    const cpu = s1CpuOf(r, id);
    const floorCpu = s1CpuOf(r, "floor");
    const sioCpu = s1CpuOf(r, "socketio");
    rows.push({
      target: `S1 server CPU per delivery at 30 msg/s ≤ bare Deno floor's (${label})`,
      figures: `${num(cpu, 3)} µs vs ${num(floorCpu, 3)} µs (${times(ratio(cpu, floorCpu))}${how}${
        first(id, "floor")
      })`,
      verdict: cpu == null || floorCpu == null
        ? "not measured"
        : cpu <= floorCpu
        ? "met"
        : "not met",
    });
    rows.push({
      target: `S1 server CPU per delivery at 30 msg/s ≤ 0.6× Socket.IO's (${label})`,
      figures: `${num(cpu, 3)} µs vs ${num(sioCpu, 3)} µs (${times(ratio(cpu, sioCpu))}${how}${
        first(id, "socketio")
      })`,
      verdict: cpu == null || sioCpu == null
        ? "not measured"
        : cpu <= 0.6 * sioCpu
        ? "met"
        : "not met",
    });
    const best = ours?.best?.deliveriesPerSec;
    const sioBest = sio1?.best?.deliveriesPerSec;
    const bound = ours?.rampExhausted ? " (ramp exhausted: a lower bound)" : "";
    rows.push({
      target: `S1 highest deliveries/s at p99 ≤ 50 ms ≥ 2× Socket.IO's (${label})`,
      figures: `${num(best)}/s vs ${num(sioBest)}/s (${times(ratio(best, sioBest))})${bound}`,
      verdict: ours === undefined || sio1 === undefined
        ? "not measured"
        : (best ?? 0) >= 2 * (sioBest ?? 0) && (best ?? 0) > 0
        ? "met"
        : "not met",
    });
  }
  const ours2 = ok(r.s2.ours);
  const floor2 = ok(r.s2.floor);
  rows.push({
    target: "S2 server memory per socket ≤ 1.2× bare Deno floor's",
    figures: `${num(ours2?.rssPerSocketKb, 1)} KiB vs ${num(floor2?.rssPerSocketKb, 1)} KiB (${
      times(ratio(ours2?.rssPerSocketKb, floor2?.rssPerSocketKb))
    })`,
    verdict: ours2?.rssPerSocketKb == null || floor2?.rssPerSocketKb == null
      ? "not measured"
      : ours2.rssPerSocketKb <= 1.2 * floor2.rssPerSocketKb
      ? "met"
      : "not met",
  });
  rows.push({
    target: "S2 delivery p99 ≤ 100 ms",
    figures: `p99 ${num(ours2?.latency.p99, 1)} ms, loss ${num(ours2?.lossPct, 2)} %`,
    verdict: ours2?.latency.p99 == null
      ? "not measured"
      : ours2.latency.p99 <= 100 && ours2.lossPct <= 1
      ? "met"
      : "not met",
  });
  const ours3 = s3RateOf(r, "ours");
  const floor3 = s3RateOf(r, "floor");
  const rounds3 = ok(r.s3Interleaved?.ours)?.rounds.length;
  rows.push({
    target: "S3 authenticated connects/s ≥ 0.8× bare Deno floor's unauthenticated rate",
    figures: `${num(ours3)}/s vs ${num(floor3)}/s (${times(ratio(ours3, floor3))}${
      rounds3 ? `, medians of ${rounds3} interleaved rounds` : ""
    })`,
    verdict: ours3 == null || floor3 == null
      ? "not measured"
      : ours3 >= 0.8 * floor3
      ? "met"
      : "not met",
  });
  const s4 = ok(r.s4);
  const p99s = s4 ? [s4.signUps.room.latency.p99, s4.logins.room.latency.p99] : [];
  const worst = p99s.some((p) => p === null) || p99s.length === 0
    ? undefined
    : Math.max(...(p99s as number[]));
  rows.push({
    target: "S4 busy room's delivery p99 ≤ 50 ms while sign-ups and logins run",
    figures: s4
      ? `p99 ${num(s4.signUps.room.latency.p99, 1)} ms during sign-ups, ${
        num(s4.logins.room.latency.p99, 1)
      } ms during logins (baseline ${num(s4.baseline.latency.p99, 1)} ms)`
      : "–",
    verdict: worst === undefined ? "not measured" : worst <= 50 ? "met" : "not met",
  });
  const s5 = ok(r.s5.sqlite);
  rows.push({
    target: "S5 history page p99 ≤ 20 ms on SQLite",
    figures: s5 ? `p99 ${num(s5.latencyMs.p99, 1)} ms over ${num(s5.requests)} pages` : "–",
    verdict: s5?.latencyMs.p99 == null
      ? "not measured"
      : s5.latencyMs.p99 <= 20 && s5.failures === 0
      ? "met"
      : "not met",
  });
  return rows;
}

function failures<T>(map: Partial<Record<string, T | { error: string }>>): string[] {
  return Object.entries(map).flatMap(([id, v]) =>
    isFailure(v)
      ? [`- ${LABELS[id as ServerId] ?? id}: did not run: ${v.error.split("\n")[0]}`]
      : []
  );
}

function s1Section(r: RunResults): string {
  const ids = Object.keys(r.s1) as ServerId[];
  const sio = ok(r.s1.socketio);
  const floor = ok(r.s1.floor);
  const rows = ids.flatMap((id) => {
    const x = ok(r.s1[id]) as FanoutResult | undefined;
    if (!x) return [];
    const m = x.measure;
    const b = x.best;
    const flags = [
      x.rampExhausted ? "ramp exhausted (lower bound)" : "",
      b && b.clientCpuPct >= CLIENT_BOUND_PCT
        ? `client at ${num(b.clientCpuPct)} % (client-bound?)`
        : "",
      x.connectFailures ? `${x.connectFailures} connects failed` : "",
      x.health.unexpectedCloses
        ? `${x.health.unexpectedCloses} closes ${JSON.stringify(x.health.closeCodes)}`
        : "",
    ].filter(Boolean).join("; ");
    return [[
      LABELS[id],
      num(x.members),
      num(m.serverCpuUsPerDelivery, 3),
      times(ratio(m.serverCpuUsPerDelivery, floor?.measure.serverCpuUsPerDelivery)),
      times(ratio(m.serverCpuUsPerDelivery, sio?.measure.serverCpuUsPerDelivery)),
      num(m.clientCpuUsPerDelivery, 3),
      `${num(m.latency.p50, 1)} / ${num(m.latency.p99, 1)}`,
      num(b?.deliveriesPerSec),
      times(ratio(b?.deliveriesPerSec, sio?.best?.deliveriesPerSec)),
      b ? `${num(b.latency.p50, 1)} / ${num(b.latency.p99, 1)}` : "–",
      b ? `${num(b.serverCpuPct)} / ${num(b.clientCpuPct)}` : "–",
      flags || " ",
    ]];
  });
  const detail = ids.flatMap((id) => {
    const x = ok(r.s1[id]) as FanoutResult | undefined;
    if (!x) return [];
    return [
      `<details><summary>${LABELS[id]}: ramp</summary>\n`,
      table(
        [
          "msg/s",
          "deliveries/s",
          "p50 ms",
          "p99 ms",
          "max ms",
          "loss %",
          "server CPU %",
          "client CPU %",
          "server µs/delivery",
          "send lag p99 ms",
          "step",
        ],
        [x.measure, ...x.ramp].map((s, i) => [
          num(s.rate),
          num(s.deliveriesPerSec),
          num(s.latency.p50, 1),
          num(s.latency.p99, 1),
          num(s.latency.max, 1),
          num(s.lossPct, 2),
          num(s.serverCpuPct),
          num(s.clientCpuPct),
          num(s.serverCpuUsPerDelivery, 3),
          num(s.sendLagP99Ms, 1),
          i === 0 ? "CPU measure" : s.retry ? "retry" : s.refine ? "refine" : "ramp",
        ]),
      ),
      "\n</details>\n",
    ];
  });
  return [
    "## S1 fan-out: one room",
    "",
    `${num(r.sizes["s1.subscribers"] as number)} sockets in one room; the first ${
      num(r.sizes["s1.publishers"] as number)
    } publish. CPU per delivery is the server's utime+stime over the ${
      num(r.sizes["s1.measureRate"] as number)
    } msg/s step divided by the messages delivered. The ramp raises the rate until p99 passes ${
      num(r.sizes["s1.p99LimitMs"] as number)
    } ms or more than 1 % is lost; "best" is the most deliveries/s within the limit.`,
    "",
    table(
      [
        "server",
        "sockets",
        "server µs/delivery @30/s",
        "vs floor",
        "vs Socket.IO",
        "client µs/delivery",
        "p50 / p99 ms @30/s",
        "best deliveries/s (p99 ≤ 50 ms)",
        "vs Socket.IO",
        "p50 / p99 ms at best",
        "server / client CPU % at best",
        "notes",
      ],
      rows,
    ),
    "",
    ...failures(r.s1),
    "",
    ...interleavedSection(r),
    ...detail,
  ].join("\n");
}

/** The interleaved rounds of S1's CPU measure, when they ran. */
function interleavedSection(r: RunResults): string[] {
  return interleavedTable(
    r.s1Cpu,
    "### The 30 msg/s CPU measure, interleaved",
    `The machine's speed drifts over a run (the same server measured minutes apart differs by up to about 20 %), so after the ramps every server is started again, all at once, and the ${
      num(r.sizes["s1.measureRate"] as number)
    } msg/s step is measured on each in turn, round after round (${
      num(r.sizes["s1.cpuRounds"] as number)
    } rounds). From the second round on, each server has served a whole S1 job before: the medians are of warmed-up processes, and the first measure after a start is the one in the table above. The targets use the medians.`,
    "µs/delivery, each round",
    (id) => s1CpuOf(r, id),
  );
}

/** A table of figures taken in interleaved rounds, with their medians against the floor and Socket.IO. */
function interleavedTable(
  map: Partial<Record<ServerId, Interleaved | { error: string }>> | undefined,
  heading: string,
  intro: string,
  column: string,
  figureOf: (id: ServerId) => number | null | undefined,
): string[] {
  if (!map) return [];
  const digits = column.startsWith("µs") ? 3 : 0;
  const rows = (Object.keys(map) as ServerId[]).flatMap((id) => {
    const x = ok(map[id]);
    if (!x) return [];
    return [[
      LABELS[id],
      x.rounds.map((v) => num(v, digits)).join(", "),
      num(x.median, digits),
      times(ratio(x.median, figureOf("floor"))),
      times(ratio(x.median, figureOf("socketio"))),
    ]];
  });
  return [
    heading,
    "",
    intro,
    "",
    table([`server`, column, "median", "vs floor", "vs Socket.IO"], rows),
    "",
    ...failures(map),
    "",
  ];
}

function s2Section(r: RunResults): string {
  const floor = ok(r.s2.floor);
  const rows = (Object.keys(r.s2) as ServerId[]).flatMap((id) => {
    const x = ok(r.s2[id]) as RoomsResult | undefined;
    if (!x) return [];
    return [[
      LABELS[id],
      num(x.sockets),
      mb(x.idleRssKb),
      mb(x.connectedRssKb),
      mb(x.afterRssKb),
      num(x.rssPerSocketKb, 2),
      times(ratio(x.rssPerSocketKb, floor?.rssPerSocketKb)),
      `${num(x.latency.p50, 1)} / ${num(x.latency.p99, 1)}`,
      num(x.lossPct, 2),
      num(x.serverCpuUsPerDelivery, 3),
      `${num(x.traffic.serverCpuPct)} / ${num(x.traffic.clientCpuPct)}`,
      num(x.connect.wallMs / 1000, 1),
      [
        x.connectFailures ? `${x.connectFailures} connects failed` : "",
        x.health.unexpectedCloses ? `${x.health.unexpectedCloses} closes` : "",
      ]
        .filter(Boolean).join("; ") || " ",
    ]];
  });
  return [
    "## S2 many rooms",
    "",
    `${num(r.sizes["s2.rooms"] as number)} rooms of ${
      num(r.sizes["s2.perRoom"] as number)
    } sockets, ${num(r.sizes["s2.perRoomRate"] as number)} message per second per room for ${
      num((r.sizes["s2.durationMs"] as number) / 1000)
    } s. Memory per socket is the server's RSS growth over its idle (warmed-up) process, at the larger of "connected" and "after traffic", divided by the sockets.`,
    "",
    table(
      [
        "server",
        "sockets",
        "RSS idle MiB",
        "RSS connected MiB",
        "RSS after traffic MiB",
        "KiB/socket",
        "vs floor",
        "p50 / p99 ms",
        "loss %",
        "server µs/delivery",
        "server / client CPU %",
        "connect s",
        "notes",
      ],
      rows,
    ),
    "",
    ...failures(r.s2),
  ].join("\n");
}

function s3Section(r: RunResults): string {
  const floor = ok(r.s3.floor);
  const rows = (Object.keys(r.s3) as ServerId[]).flatMap((id) => {
    const x = ok(r.s3[id]) as StormResult | undefined;
    const m = x?.median;
    if (!x || !m) return [];
    return [[
      LABELS[id],
      id === "ours" ? "JWT (subprotocol)" : "none",
      num(m.connected),
      num(m.connectsPerSec),
      x.rounds.map((round) => num(round.connectsPerSec)).join(", "),
      times(ratio(m.connectsPerSec, floor?.median?.connectsPerSec)),
      num(m.serverCpuUsPerConnect, 1),
      num(m.clientCpuUsPerConnect, 1),
      `${num(m.serverCpuPct)} / ${num(m.clientCpuPct)}`,
      num(x.rounds.reduce((n, round) => n + round.failures, 0)),
    ]];
  });
  return [
    "## S3 connect storm",
    "",
    `${num(r.sizes["s3.connects"] as number)} connects across ${
      num(r.sizes["s3.rooms"] as number)
    } rooms, ${num(r.sizes["s3.concurrency"] as number)} in flight, ${
      num(r.sizes["s3.rounds"] as number)
    } rounds after a warm-up; the median round is reported. A connect counts once the socket is open (Socket.IO: once its namespace connect is acknowledged).`,
    "",
    table(
      [
        "server",
        "auth",
        "connects",
        "connects/s (median)",
        "each round",
        "vs floor",
        "server µs/connect",
        "client µs/connect",
        "server / client CPU %",
        "failures",
      ],
      rows,
    ),
    "",
    ...failures(r.s3),
    ...interleavedTable(
      r.s3Interleaved,
      "### The storm, interleaved",
      `After the runs above every server is started again, all at once, and one storm round (after its own warm-up) is measured on each in turn, round after round (${
        num(r.sizes["s3.interleavedRounds"] as number)
      } rounds). The target uses the medians.`,
      "connects/s, each round",
      (id) => s3RateOf(r, id),
    ),
  ].join("\n");
}

function s4Section(r: RunResults): string {
  if (r.s4 === undefined) return "";
  if (isFailure(r.s4)) {
    return `## S4 sign-up and login\n\nDid not run: ${r.s4.error.split("\n")[0]}\n`;
  }
  const x: LoginsResult = r.s4;
  const room = (p: LoginsResult["baseline"] | LoginsResult["logins"]["room"]) =>
    `${num(p.latency.p50, 1)} / ${num(p.latency.p99, 1)} / ${num(p.latency.max, 1)}`;
  const auth = (name: string, a: LoginsResult["logins"]) => [
    name,
    num(a.requests),
    JSON.stringify(a.statuses),
    num(a.perSec, 2),
    `${num(a.latencyMs.p50)} / ${num(a.latencyMs.p99)} / ${num(a.latencyMs.max)}`,
    `${num(a.serverCpuPct)} / ${num(a.clientCpuPct)}`,
    room(a.room),
    `${num(a.room.delivered)} of ${num(a.room.expected)}`,
  ];
  return [
    "## S4 sign-up and login at the default hash cost",
    "",
    `Our server at PBKDF2_ITERATIONS=600000. ${
      num(r.sizes["s4.accounts"] as number)
    } sign-ups, then as many logins, ${
      num(r.sizes["s4.concurrency"] as number)
    } at a time, while a busy room (${num(x.members)} sockets, ${num(x.roomRate)} msg/s) runs.`,
    "",
    table(
      [
        "phase",
        "requests",
        "statuses",
        "requests/s",
        "request p50 / p99 / max ms",
        "server / client CPU %",
        "room delivery p50 / p99 / max ms",
        "room delivered",
      ],
      [
        [
          "busy room alone",
          "–",
          "–",
          "–",
          "–",
          `${num(x.baseline.serverCpuPct)} / ${num(x.baseline.clientCpuPct)}`,
          room(x.baseline),
          `${num(x.baseline.delivered)} of ${num(x.baseline.expected)}`,
        ],
        auth("sign-ups", x.signUps),
        auth("logins", x.logins),
      ],
    ),
    "",
  ].join("\n");
}

function s5Section(r: RunResults): string {
  const rows = (Object.keys(r.s5) as ("sqlite" | "kv")[]).flatMap((store) => {
    const x = ok(r.s5[store]) as HistoryResult | undefined;
    if (!x) return [];
    return [[
      store === "sqlite" ? "SQLite" : "Deno KV",
      num(r.sizes["s5.messages"] as number),
      x.seedMs === undefined ? "–" : num(x.seedMs / 1000, 1),
      num(x.requests),
      num(x.latencyMs.p50, 1),
      num(x.latencyMs.p90, 1),
      num(x.latencyMs.p99, 1),
      num(x.latencyMs.max, 1),
      num(x.perSec),
      num(x.serverCpuUsPerRequest),
      num(x.failures),
    ]];
  });
  return [
    "## S5 history pages",
    "",
    `One room of ${
      num(r.sizes["s5.messages"] as number)
    } messages, seeded straight into each store; \`GET /api/v1/rooms/:room/messages?before=<random seq>&limit=${
      num(r.sizes["s5.limit"] as number)
    }\`, ${num(r.sizes["s5.concurrency"] as number)} at a time, after ${
      num(r.sizes["s5.warmup"] as number)
    } warm-up requests.`,
    "",
    table(
      [
        "store",
        "messages",
        "seed s",
        "requests",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "requests/s",
        "server µs/request",
        "failures",
      ],
      rows,
    ),
    "",
    ...failures(r.s5),
  ].join("\n");
}

function microSection(r: RunResults): string {
  if (r.micro === undefined) return "";
  if (isFailure(r.micro)) {
    return `## Micro-benchmarks\n\nDid not run: ${r.micro.error.split("\n")[0]}\n`;
  }
  const fmt = (
    ns: number,
  ) => (ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
    ? `${(ns / 1e3).toFixed(2)} µs`
    : `${ns.toFixed(0)} ns`);
  return [
    "## Micro-benchmarks (`deno task bench:micro`)",
    "",
    table(
      ["file", "benchmark", "avg", "p99"],
      r.micro.map((m) => [m.file, m.name, fmt(m.avgNs), fmt(m.p99Ns)]),
    ),
    "",
  ].join("\n");
}

function profileSection(r: RunResults): string {
  if (r.profile === undefined) return "";
  return Object.entries(r.profile).map(([scenario, p]) => {
    if (!p) return "";
    if (isFailure(p)) {
      return `## CPU profile under ${scenario}\n\nDid not run: ${p.error.split("\n")[0]}\n`;
    }
    return [
      `## CPU profile of our server under ${scenario} (\`--profile=${scenario}\`)`,
      "",
      `\`deno run --cpu-prof\` over a separate ${scenario} run on our server (default client), start to exit. ${
        num(p.totalMs)
      } ms busy, ${
        num(p.idlePct, 1)
      } % idle. Shares are of busy samples; time in native code (syscalls, ops) counts to the JavaScript function that called it. Profile: \`${p.file}\`.`,
      "",
      table(
        ["self %", "total %", "function", "where"],
        p.topSelf.map((
          e,
        ) => [num(e.selfPct, 1), num(e.totalPct, 1), `\`${e.name}\``, e.location || " "]),
      ),
      "",
      "<details><summary>By inclusive time</summary>\n",
      table(
        ["total %", "self %", "function", "where"],
        p.topTotal.map((
          e,
        ) => [num(e.totalPct, 1), num(e.selfPct, 1), `\`${e.name}\``, e.location || " "]),
      ),
      "\n</details>",
      "",
    ].join("\n");
  }).join("\n");
}

/** Renders RESULTS.md. */
export function renderReport(r: RunResults): string {
  const targets = evaluateTargets(r);
  const met = targets.filter((t) => t.verdict === "met").length;
  const measured = targets.filter((t) => t.verdict !== "not measured").length;
  const mark = (
    v: Verdict,
  ) => (v === "met" ? "✅ met" : v === "not met" ? "❌ not met" : "– not measured");
  const overrides = Object.entries(r.overrides);
  return [
    "# Benchmark results",
    "",
    r.quick
      ? "> **Quick mode** (`--quick`): reduced sizes; these figures validate the harness and are not the issue's measurements.\n"
      : "",
    table(
      ["", ""],
      [
        ["date", r.startedAt],
        ["command", `\`${r.command}\``],
        ["duration", `${num(r.durationSec)} s`],
        ...Object.entries(r.machine).map(([k, v]) => [k, v]),
        [
          "sizes overridden",
          overrides.length ? overrides.map(([k, v]) => `${k}=${v}`).join(", ") : "none",
        ],
      ],
    ),
    "",
    `Every server runs as its own process on 127.0.0.1 and is driven by one Node load generator (\`bench/peers/loadgen.mjs\`) over ${
      r.client === "ws"
        ? "npm `ws` client sockets (`--client=ws`)"
        : "raw WebSocket sockets (`--client=raw`, the default: a fixed upgrade request and a minimal frame reader that finds each message's timestamp without decoding it, several times cheaper per frame than npm `ws`, so the client saturates after the server)"
    }; Socket.IO is spoken as engine.io v4 text frames, so no client library's cost counts.` +
    " Server CPU is utime+stime from `/proc/<pid>/stat`, memory is VmRSS from `/proc/<pid>/status`, latency is measured from a send timestamp carried in each message's text. Our server runs `src/main.ts` (`deno task start`) with its defaults (SQLite store; one isolate, so the in-process bus) except a temp database, PBKDF2_ITERATIONS=1000 outside S4, rate limits lifted (message, login and sign-up), MAX_SOCKETS_PER_ADDRESS=0 and LOG_LEVEL=error.",
    "",
    `## Targets (${met} of ${measured} measured targets met)`,
    "",
    table(
      ["target", "figures (same run)", "verdict"],
      targets.map((t) => [t.target, t.figures, mark(t.verdict)]),
    ),
    "",
    s1Section(r),
    "",
    s2Section(r),
    "",
    s3Section(r),
    "",
    s4Section(r),
    "",
    s5Section(r),
    "",
    microSection(r),
    "",
    profileSection(r),
    "",
    r.notes.length ? ["## Notes", "", ...r.notes.map((n) => `- ${n}`), ""].join("\n") : "",
    "## How to run",
    "",
    "```sh",
    "deno task bench                      # every scenario on every server, full sizes (~9 min on 2 cores)",
    "deno task bench --quick              # reduced sizes",
    "deno task bench --only=S1,S3 --servers=ours,floor",
    "deno task bench --s1-subscribers=500 --s2-rooms=200   # any size, or BENCH_S1_SUBSCRIBERS=500",
    "deno task bench --only=S1 --servers=ours --profile=S1,S3  # adds CPU profiles of our server",
    "deno task bench:micro                # deno bench micro-benchmarks only",
    "```",
    "",
  ].join("\n").replace(/\n{3,}/g, "\n\n");
}
