/**
 * S1's part of `RESULTS.md`: the fan-out table, the interleaved rounds of the
 * 30 msg/s CPU measure and of the 150 msg/s load point, the `BATCH_WINDOW_MS`
 * series and each server's ramp.
 *
 * @module
 */
import type { ServerId } from "./options.ts";
import {
  CLIENT_BOUND_PCT,
  failures,
  interleavedTable,
  LABELS,
  num,
  ok,
  ratio,
  table,
  times,
} from "./report_format.ts";
import {
  type BatchWindowRun,
  type FanoutResult,
  type FanoutStep,
  isFailure,
  type RunResults,
} from "./results.ts";

const latencyPair = (s: FanoutStep | null | undefined) =>
  s ? `${num(s.latency.p50, 1)} / ${num(s.latency.p99, 1)}` : "–";

function mainTable(r: RunResults): string {
  const ids = Object.keys(r.s1) as ServerId[];
  const sio = ok(r.s1.socketio);
  const floor = ok(r.s1.floor);
  const bun = ok(r.s1.bun);
  const rows = ids.flatMap((id) => {
    const x = ok(r.s1[id]) as FanoutResult | undefined;
    if (!x) return [];
    const m = x.measure;
    const l = x.load;
    const b = x.best;
    const flags = [
      x.rampExhausted ? "ramp exhausted (lower bound)" : "",
      b && b.clientCpuPct >= CLIENT_BOUND_PCT
        ? `client at ${num(b.clientCpuPct)} % at best (client-bound?)`
        : "",
      l && l.clientCpuPct >= CLIENT_BOUND_PCT
        ? `client at ${num(l.clientCpuPct)} % at the load point`
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
      times(ratio(m.serverCpuUsPerDelivery, bun?.measure.serverCpuUsPerDelivery)),
      latencyPair(m),
      num(l?.sendingDeliveriesPerSec),
      latencyPair(l),
      num(l?.serverCpuUsPerDelivery, 3),
      times(ratio(l?.serverCpuUsPerDelivery, bun?.load?.serverCpuUsPerDelivery)),
      num(l?.messagesPerFrame, 2),
      num(b?.deliveriesPerSec),
      times(ratio(b?.deliveriesPerSec, sio?.best?.deliveriesPerSec)),
      latencyPair(b),
      b ? `${num(b.serverCpuPct)} / ${num(b.clientCpuPct)}` : "–",
      flags || " ",
    ]];
  });
  const rate = num(r.sizes["s1.loadRate"] as number);
  return table(
    [
      "server",
      "sockets",
      "server µs/delivery @30/s",
      "vs floor",
      "vs Bun",
      "p50 / p99 ms @30/s",
      `deliveries/s while sending @${rate}/s`,
      `p50 / p99 ms @${rate}/s`,
      `server µs/delivery @${rate}/s`,
      "vs Bun",
      `messages per frame @${rate}/s`,
      "best deliveries/s (p99 ≤ 50 ms)",
      "vs Socket.IO",
      "p50 / p99 ms at best",
      "server / client CPU % at best",
      "notes",
    ],
    rows,
  );
}

function stepKind(s: FanoutStep, i: number, loadAt: number): string {
  if (i === 0) return "CPU measure";
  if (i === loadAt) return "load point";
  return s.retry ? "retry" : s.refine ? "refine" : "ramp";
}

function rampDetails(r: RunResults): string[] {
  return (Object.keys(r.s1) as ServerId[]).flatMap((id) => {
    const x = ok(r.s1[id]) as FanoutResult | undefined;
    if (!x) return [];
    const steps = [x.measure, ...(x.load ? [x.load] : []), ...x.ramp];
    return [
      `<details><summary>${LABELS[id]}: every step</summary>\n`,
      table(
        [
          "msg/s",
          "deliveries/s",
          "while sending",
          "p50 ms",
          "p99 ms",
          "max ms",
          "loss %",
          "server CPU %",
          "client CPU %",
          "server µs/delivery",
          "messages per frame",
          "send lag p99 ms",
          "step",
        ],
        steps.map((s, i) => [
          num(s.rate),
          num(s.deliveriesPerSec),
          num(s.sendingDeliveriesPerSec),
          num(s.latency.p50, 1),
          num(s.latency.p99, 1),
          num(s.latency.max, 1),
          num(s.lossPct, 2),
          num(s.serverCpuPct),
          num(s.clientCpuPct),
          num(s.serverCpuUsPerDelivery, 3),
          num(s.messagesPerFrame, 2),
          num(s.sendLagP99Ms, 1),
          stepKind(s, i, x.load ? 1 : -1),
        ]),
      ),
      "\n</details>\n",
    ];
  });
}

function interleavedSections(r: RunResults): string[] {
  const rounds = num(r.sizes["s1.cpuRounds"] as number);
  const rate = num(r.sizes["s1.loadRate"] as number);
  return [
    ...interleavedTable(
      r.s1Cpu,
      "### The 30 msg/s CPU measure, interleaved",
      `The machine's speed drifts over a run (the same server measured minutes apart differs by up to about 20 %), so after the ramps every server is started again, all at once, and the ${
        num(r.sizes["s1.measureRate"] as number)
      } msg/s step${
        r.s1Load ? ` and the ${rate} msg/s load point are` : " is"
      } measured on each in turn, round after round (${rounds} rounds). From the second round on, each server has served a whole S1 job before: the medians are of warmed-up processes, and the first measure after a start is the one in the table above. The targets use the medians.`,
      "µs/delivery, each round",
      3,
    ),
    ...(r.s1Load
      ? [
        ...interleavedTable(
          r.s1Load.deliveriesPerSec,
          `### The ${rate} msg/s load point, interleaved: deliveries/s while sending`,
          `Deliveries that arrived while the step was still sending, per second of sending: a server that falls behind delivers the rest afterwards (counted in the ramp tables, not here).`,
          "deliveries/s, each round",
          0,
        ),
        ...interleavedTable(
          r.s1Load.p99,
          `### The ${rate} msg/s load point, interleaved: delivery p99`,
          "Send to receipt, over every delivery of the step and its drain.",
          "p99 ms, each round",
          1,
        ),
        ...interleavedTable(
          r.s1Load.cpu,
          `### The ${rate} msg/s load point, interleaved: server CPU per delivery`,
          "The server's utime+stime over the step and its drain, divided by the deliveries.",
          "µs/delivery, each round",
          3,
        ),
      ]
      : []),
  ];
}

function windowSection(r: RunResults): string[] {
  const w = r.s1Windows;
  if (!w) return [];
  const head = "### `BATCH_WINDOW_MS` on `?batch=1` clients";
  const intro =
    "A bounded write delay (like Centrifugo's write delay): each window value runs on a fresh server with `BATCH_WINDOW_MS` set, `?batch=1` clients, at the CPU measure and the load point. The latency a window costs is its p50 and p99 against the window 0.";
  if (isFailure(w)) return [head, "", intro, "", `Skipped: ${w.error.split("\n")[0]}`, ""];
  const runs = w.runs;
  const base = runs.find((x): x is BatchWindowRun => !isFailure(x) && x.windowMs === 0);
  const rows = runs.map((x) => {
    if (isFailure(x)) return [num(x.windowMs), `did not run: ${x.error.split("\n")[0]}`];
    const p50Cost = (x.load?.latency.p50 ?? NaN) - (base?.load?.latency.p50 ?? NaN);
    return [
      num(x.windowMs),
      num(x.measure.serverCpuUsPerDelivery, 3),
      latencyPair(x.measure),
      num(x.load?.serverCpuUsPerDelivery, 3),
      times(ratio(x.load?.serverCpuUsPerDelivery, base?.load?.serverCpuUsPerDelivery)),
      latencyPair(x.load),
      x.windowMs === 0 || !Number.isFinite(p50Cost)
        ? "–"
        : `${p50Cost >= 0 ? "+" : ""}${p50Cost.toFixed(1)}`,
      num(x.load?.messagesPerFrame, 2),
      num(x.load?.sendingDeliveriesPerSec),
    ];
  });
  const tableText = table(
    [
      "window ms",
      "µs/delivery @30/s",
      "p50 / p99 ms @30/s",
      `µs/delivery @${num(r.sizes["s1.loadRate"] as number)}/s`,
      "vs window 0",
      "p50 / p99 ms",
      "p50 cost ms",
      "messages per frame",
      "deliveries/s while sending",
    ],
    rows.map((row) => row.length < 9 ? [...row, ...Array(9 - row.length).fill(" ")] : row),
  );
  if (!w.honoured) {
    return [
      head,
      "",
      intro,
      "",
      `The server did not honour \`BATCH_WINDOW_MS\` (${w.evidence}), so the series is not reported as a window's cost; its runs are kept below.`,
      "",
      "<details><summary>the runs</summary>\n",
      tableText,
      "\n</details>",
      "",
    ];
  }
  return [head, "", intro, `Honoured: ${w.evidence}.`, "", tableText, ""];
}

/** S1's section of the report. */
export function s1Section(r: RunResults): string {
  return [
    "## S1 fan-out: one room",
    "",
    `${num(r.sizes["s1.subscribers"] as number)} sockets in one room; the first ${
      num(r.sizes["s1.publishers"] as number)
    } publish. CPU per delivery is the server's utime+stime over the ${
      num(r.sizes["s1.measureRate"] as number)
    } msg/s step divided by the messages delivered. Then the load point: ${
      num(r.sizes["s1.loadRate"] as number)
    } msg/s for ${
      num((r.sizes["s1.loadMs"] as number) / 1000, 1)
    } s, where a server may fall behind. The ramp raises the rate until p99 passes ${
      num(r.sizes["s1.p99LimitMs"] as number)
    } ms or more than 1 % is lost; "best" is the most deliveries/s within the limit.`,
    "",
    mainTable(r),
    "",
    ...failures(r.s1),
    "",
    ...interleavedSections(r),
    ...windowSection(r),
    ...rampDetails(r),
  ].join("\n");
}
