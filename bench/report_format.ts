/**
 * Formatting shared by the benchmark reports: numbers, ratios, Markdown
 * tables, server labels and target verdicts.
 *
 * @module
 */
import type { ServerId } from "./options.ts";
import { type Interleaved, isFailure } from "./results.ts";

/** A target's verdict. */
export type Verdict = "met" | "not met" | "not measured";

/** One target, evaluated. */
export interface TargetRow {
  readonly target: string;
  readonly figures: string;
  readonly verdict: Verdict;
}

/** How each server is named in the reports. */
export const LABELS: Record<ServerId, string> = {
  ours: "ours (default client)",
  "ours-batch": "ours (`?batch=1` client)",
  floor: "bare Deno floor",
  "floor-sized": "bare Deno floor, frames as long as ours",
  bun: "Bun (native pub/sub)",
  ws: "bare `ws` (Node)",
  socketio: "Socket.IO 4 (Node)",
};

/** A client at or above this share of one core may be what limits a figure. */
export const CLIENT_BOUND_PCT = 90;

/** The value, or `undefined` for a failure or nothing. */
export const ok = <T>(value: T | { error: string } | undefined | null): T | undefined =>
  value === undefined || value === null || isFailure(value) ? undefined : value;

/** Formats a number with thousands separators and at most `digits` decimals. */
export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** `a / b`, or `undefined` when either is missing or `b` is not positive. */
export const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a !== null && a !== undefined && b !== null && b !== undefined && b > 0 ? a / b : undefined;

/** A ratio as `1.23×`. */
export const times = (r: number | undefined) => (r === undefined ? "–" : `${r.toFixed(2)}×`);

/** KiB as MiB with one decimal. */
export const mb = (kb: number) => `${(kb / 1024).toFixed(1)}`;

/** A Markdown table. */
export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** When, how and where a run happened: the head of every report. */
export interface RunHeader {
  readonly startedAt: string;
  readonly command: string;
  readonly durationSec: number;
  readonly machine: Record<string, string>;
}

/** The table under a report's title: date, command, duration, the machine, then `extra` rows. */
export function headerTable(r: RunHeader, extra: string[][] = []): string {
  return table(["", ""], [
    ["date", r.startedAt],
    ["command", `\`${r.command}\``],
    ["duration", `${num(r.durationSec)} s`],
    ...Object.entries(r.machine).map(([k, v]) => [k, v]),
    ...extra,
  ]);
}

/** The warning a `--quick` run's report opens with, or `""`. */
export const quickNote = (quick: boolean) =>
  quick
    ? "> **Quick mode** (`--quick`): reduced sizes; these figures validate the harness and are not the issue's measurements.\n"
    : "";

/** One line per server that did not run, with the first line of its error. */
export function failures<T>(map: Partial<Record<string, T | { error: string }>>): string[] {
  return Object.entries(map).flatMap(([id, v]) =>
    isFailure(v)
      ? [`- ${LABELS[id as ServerId] ?? id}: did not run: ${v.error.split("\n")[0]}`]
      : []
  );
}

/** A verdict from a figure and its test; a missing figure is "not measured". */
export function verdict<T>(
  value: T | null | undefined,
  test: (value: T) => boolean,
): Verdict {
  if (value === null || value === undefined) return "not measured";
  return test(value) ? "met" : "not met";
}

/** A verdict as the report shows it. */
export const mark = (v: Verdict) =>
  v === "met" ? "✅ met" : v === "not met" ? "❌ not met" : "– not measured";

/** The targets as a Markdown table. */
export function targetTable(rows: readonly TargetRow[]): string {
  return table(
    ["target", "figures (same run)", "verdict"],
    rows.map((t) => [t.target, t.figures, mark(t.verdict)]),
  );
}

/** The peers every interleaved figure is set against. */
const PEERS: readonly ServerId[] = ["floor", "bun", "socketio"];

/**
 * A table of figures taken in interleaved rounds, with their medians against
 * the floor, Bun and Socket.IO.
 */
export function interleavedTable(
  map: Partial<Record<ServerId, Interleaved | { error: string }>> | undefined,
  heading: string,
  intro: string,
  column: string,
  digits: number,
): string[] {
  if (!map) return [];
  const median = (id: ServerId) => ok(map[id])?.median;
  const rows = (Object.keys(map) as ServerId[]).flatMap((id) => {
    const x = ok(map[id]);
    if (!x) return [];
    return [[
      LABELS[id],
      x.rounds.map((v) => num(v, digits)).join(", "),
      num(x.median, digits),
      ...PEERS.map((peer) => times(ratio(x.median, median(peer)))),
    ]];
  });
  return [
    heading,
    "",
    intro,
    "",
    table(["server", column, "median", "vs floor", "vs Bun", "vs Socket.IO"], rows),
    "",
    ...failures(map),
    "",
  ];
}
