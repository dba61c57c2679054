/**
 * The benchmark's targets, evaluated against one run: this issue's (Bun as
 * the bar, the 150 msg/s load point) and the earlier ones that still hold.
 *
 * @module
 */
import { CONFIG_DEFAULTS } from "../src/config/variables.ts";
import type { ServerId } from "./options.ts";
import { num, ok, ratio, type TargetRow, times, verdict } from "./report_format.ts";
import type { BatchWindowRun, RunResults } from "./results.ts";

/**
 * S1's server CPU per delivery at 30 msg/s: the median of the interleaved
 * rounds when they ran, else the S1 run's own measure step.
 */
export function s1CpuOf(r: RunResults, id: ServerId): number | null | undefined {
  const interleaved = ok(r.s1Cpu?.[id]);
  return interleaved ? interleaved.median : ok(r.s1[id])?.measure.serverCpuUsPerDelivery;
}

/** A figure of S1's load point (150 msg/s). */
export type LoadFigure = "cpu" | "deliveriesPerSec" | "p99";

/**
 * A figure of S1's load point: the median of the interleaved rounds when they
 * ran, else the S1 run's own load step.
 */
export function s1LoadOf(
  r: RunResults,
  id: ServerId,
  figure: LoadFigure,
): number | null | undefined {
  const interleaved = ok(r.s1Load?.[figure]?.[id]);
  if (interleaved) return interleaved.median;
  const step = ok(r.s1[id])?.load;
  if (!step) return undefined;
  return figure === "cpu"
    ? step.serverCpuUsPerDelivery
    : figure === "p99"
    ? step.latency.p99
    : step.sendingDeliveriesPerSec;
}

/** S3's connects/s: the interleaved median when measured, else the S3 run's own median round. */
export function s3RateOf(r: RunResults, id: ServerId): number | null | undefined {
  const interleaved = ok(r.s3Interleaved?.[id]);
  return interleaved ? interleaved.median : ok(r.s3[id])?.median?.connectsPerSec;
}

/** "medians of N interleaved rounds", or "one interleaved round". */
const roundsText = (n: number) =>
  n === 1 ? "one interleaved round" : `medians of ${n} interleaved rounds`;

/** "medians of N interleaved rounds; S1 run: a vs b" for a pair of figures, when rounds ran. */
function provenance(
  rounds: number | undefined,
  first: [number | null | undefined, number | null | undefined],
  digits: number,
  unit: string,
): string {
  if (!rounds) return "";
  return `, ${roundsText(rounds)}; S1 run's own step: ${num(first[0], digits)} vs ${
    num(first[1], digits)
  }${unit}, ${times(ratio(first[0], first[1]))}`;
}

/**
 * "; the floor with frames as long as ours: x (ours y×)" when `floor-sized` ran:
 * how much of a gap to the floor is our frames' length rather than our code.
 * The verdicts stay against the plain floor.
 */
function sizedNote(
  ours: number | null | undefined,
  sized: number | null | undefined,
  digits: number,
  unit: string,
): string {
  if (sized == null) return "";
  return `; the floor with frames as long as ours: ${num(sized, digits)}${unit} (ours ${
    times(ratio(ours, sized))
  })`;
}

/** This issue's S1 targets: default clients at the floor at every rate, batching clients ahead of Bun. */
export function issueTargets(r: RunResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const rate = num(r.sizes["s1.loadRate"] as number);
  const loadRounds = ok(r.s1Load?.cpu.ours)?.rounds.length ??
    ok(r.s1Load?.cpu["ours-batch"])?.rounds.length;
  const firstLoad = (id: ServerId, figure: LoadFigure) => {
    const step = ok(r.s1[id])?.load;
    return figure === "cpu"
      ? step?.serverCpuUsPerDelivery
      : figure === "p99"
      ? step?.latency.p99
      : step?.sendingDeliveriesPerSec;
  };

  const dps = s1LoadOf(r, "ours", "deliveriesPerSec");
  const floorDps = s1LoadOf(r, "floor", "deliveriesPerSec");
  rows.push({
    target: `S1 at ${rate} msg/s, default client: deliveries/s ≥ 0.95× the floor's`,
    figures: `${num(dps)}/s vs ${num(floorDps)}/s while sending (${times(ratio(dps, floorDps))}${
      provenance(
        loadRounds,
        [firstLoad("ours", "deliveriesPerSec"), firstLoad("floor", "deliveriesPerSec")],
        0,
        "/s",
      )
    })`,
    verdict: verdict(floorDps == null ? undefined : dps, (v) => v >= 0.95 * floorDps!),
  });
  const p99 = s1LoadOf(r, "ours", "p99");
  const floorP99 = s1LoadOf(r, "floor", "p99");
  rows.push({
    target: `S1 at ${rate} msg/s, default client: p99 ≤ 1.2× the floor's`,
    figures: `${num(p99, 1)} ms vs ${num(floorP99, 1)} ms (${times(ratio(p99, floorP99))}${
      provenance(loadRounds, [firstLoad("ours", "p99"), firstLoad("floor", "p99")], 1, " ms")
    }${sizedNote(p99, s1LoadOf(r, "floor-sized", "p99"), 1, " ms")})`,
    verdict: verdict(floorP99 == null ? undefined : p99, (v) => v <= 1.2 * floorP99!),
  });
  const cpuRounds = ok(r.s1Cpu?.ours)?.rounds.length;
  const cpu = s1CpuOf(r, "ours");
  const floorCpu = s1CpuOf(r, "floor");
  rows.push({
    target: `S1 at ${
      num(r.sizes["s1.measureRate"] as number)
    } msg/s, default client: CPU per delivery ≤ 1.0× the floor's`,
    figures: `${num(cpu, 3)} µs vs ${num(floorCpu, 3)} µs (${times(ratio(cpu, floorCpu))}${
      provenance(
        cpuRounds,
        [
          ok(r.s1.ours)?.measure.serverCpuUsPerDelivery,
          ok(r.s1.floor)?.measure.serverCpuUsPerDelivery,
        ],
        3,
        " µs",
      )
    }${sizedNote(cpu, s1CpuOf(r, "floor-sized"), 3, " µs")})`,
    verdict: verdict(floorCpu == null ? undefined : cpu, (v) => v <= floorCpu!),
  });
  const batchCpu = s1LoadOf(r, "ours-batch", "cpu");
  const bunCpu = s1LoadOf(r, "bun", "cpu");
  rows.push({
    target:
      `S1 at ${rate} msg/s, \`batch=1\` client (the default \`BATCH_WINDOW_MS\`, ${CONFIG_DEFAULTS.BATCH_WINDOW_MS} ms): CPU per delivery ≤ 0.8× Bun's`,
    figures: `${num(batchCpu, 3)} µs vs ${num(bunCpu, 3)} µs (${times(ratio(batchCpu, bunCpu))}${
      provenance(loadRounds, [firstLoad("ours-batch", "cpu"), firstLoad("bun", "cpu")], 3, " µs")
    })`,
    verdict: verdict(bunCpu == null ? undefined : batchCpu, (v) => v <= 0.8 * bunCpu!),
  });
  const batchP99 = s1LoadOf(r, "ours-batch", "p99");
  rows.push({
    target: `S1 at ${rate} msg/s, \`batch=1\` client: p99 ≤ 100 ms`,
    figures: `p99 ${num(batchP99, 1)} ms (Bun ${num(s1LoadOf(r, "bun", "p99"), 1)} ms${
      loadRounds ? `; ${roundsText(loadRounds)}` : ""
    })`,
    verdict: verdict(batchP99, (v) => v <= 100),
  });
  rows.push(windowTarget(r, rate, bunCpu));
  return rows;
}

/**
 * The same CPU target with `BATCH_WINDOW_MS` set: the smallest window of the
 * series whose load point is within 0.8× Bun's CPU per delivery (the
 * interleaved median) with p99 ≤ 100 ms, else the one closest to it. Each
 * window ran on a fresh server after the interleaved rounds, in the same run.
 */
function windowTarget(r: RunResults, rate: string, bunCpu: number | null | undefined): TargetRow {
  const target =
    `S1 at ${rate} msg/s, \`batch=1\` client with \`BATCH_WINDOW_MS\` set: CPU per delivery ≤ 0.8× Bun's, p99 ≤ 100 ms`;
  const series = r.s1Windows && "runs" in r.s1Windows ? r.s1Windows : undefined;
  const runs: BatchWindowRun[] = series?.honoured
    ? series.runs.flatMap((run) => "load" in run && run.load && run.windowMs > 0 ? [run] : [])
    : [];
  if (runs.length === 0 || bunCpu == null) {
    return { target, figures: "–", verdict: verdict(undefined, () => false) };
  }
  const cpuOf = (run: BatchWindowRun) => run.load!.serverCpuUsPerDelivery ?? Infinity;
  const meets = (run: BatchWindowRun) =>
    cpuOf(run) <= 0.8 * bunCpu && (run.load!.latency.p99 ?? Infinity) <= 100;
  const best = runs.find(meets) ??
    runs.reduce((a, b) => (cpuOf(b) / bunCpu < cpuOf(a) / bunCpu ? b : a));
  return {
    target,
    figures: `window ${best.windowMs} ms: ${num(cpuOf(best), 3)} µs vs ${num(bunCpu, 3)} µs (${
      times(ratio(cpuOf(best), bunCpu))
    }), p99 ${num(best.load!.latency.p99, 1)} ms (the window series, each on a fresh server)`,
    verdict: verdict(cpuOf(best), () => meets(best)),
  };
}

/** The earlier issues' targets, kept to show nothing regressed. */
export function earlierTargets(r: RunResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const sio1 = ok(r.s1.socketio);
  const rounds = ok(r.s1Cpu?.ours)?.rounds.length;
  const how = rounds ? `, ${roundsText(rounds)}` : "";
  const sioCpu = s1CpuOf(r, "socketio");
  const floorCpu = s1CpuOf(r, "floor");
  const batchCpu = s1CpuOf(r, "ours-batch");
  rows.push({
    target: "S1 server CPU per delivery at 30 msg/s ≤ bare Deno floor's (batch client)",
    figures: `${num(batchCpu, 3)} µs vs ${num(floorCpu, 3)} µs (${
      times(ratio(batchCpu, floorCpu))
    }${how})`,
    verdict: verdict(floorCpu == null ? undefined : batchCpu, (v) => v <= floorCpu!),
  });
  for (const id of ["ours", "ours-batch"] as const) {
    const ours = ok(r.s1[id]);
    const label = id === "ours" ? "default client" : "batch client";
    const cpu = s1CpuOf(r, id);
    rows.push({
      target: `S1 server CPU per delivery at 30 msg/s ≤ 0.6× Socket.IO's (${label})`,
      figures: `${num(cpu, 3)} µs vs ${num(sioCpu, 3)} µs (${times(ratio(cpu, sioCpu))}${how})`,
      verdict: verdict(sioCpu == null ? undefined : cpu, (v) => v <= 0.6 * sioCpu!),
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
    verdict: verdict(
      floor2?.rssPerSocketKb == null ? undefined : ours2?.rssPerSocketKb,
      (v) => v <= 1.2 * floor2!.rssPerSocketKb!,
    ),
  });
  rows.push({
    target: "S2 delivery p99 ≤ 100 ms",
    figures: `p99 ${num(ours2?.latency.p99, 1)} ms, loss ${num(ours2?.lossPct, 2)} %`,
    verdict: verdict(ours2?.latency.p99, (v) => v <= 100 && ours2!.lossPct <= 1),
  });
  const ours3 = s3RateOf(r, "ours");
  const floor3 = s3RateOf(r, "floor");
  const rounds3 = ok(r.s3Interleaved?.ours)?.rounds.length;
  rows.push({
    target: "S3 authenticated connects/s ≥ 0.8× bare Deno floor's unauthenticated rate",
    figures: `${num(ours3)}/s vs ${num(floor3)}/s (${times(ratio(ours3, floor3))}${
      rounds3 ? `, ${roundsText(rounds3)}` : ""
    })`,
    verdict: verdict(floor3 == null ? undefined : ours3, (v) => v >= 0.8 * floor3!),
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
    verdict: verdict(worst, (v) => v <= 50),
  });
  const s5 = ok(r.s5.sqlite);
  rows.push({
    target: "S5 history page p99 ≤ 20 ms on SQLite",
    figures: s5 ? `p99 ${num(s5.latencyMs.p99, 1)} ms over ${num(s5.requests)} pages` : "–",
    verdict: verdict(s5?.latencyMs.p99, (v) => v <= 20 && s5!.failures === 0),
  });
  return rows;
}
