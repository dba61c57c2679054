/**
 * Writes one benchmark's section of `bench/V2_RESULTS.md` (the figures of
 * issue 12: the directory and the presence latency), leaving the other
 * sections as they are. Each section carries the machine and the date it was
 * measured on.
 *
 * @module
 */
import { machineInfo } from "./machine.ts";

const FILE = new URL("./V2_RESULTS.md", import.meta.url);

const HEADER = [
  "# Protocol v2 benchmark results",
  "",
  "Figures of issue 12, each written by its benchmark (`deno run -A bench/directory.ts`,",
  "`deno run -A bench/presence_latency.ts`) with the machine and date it ran on. Rerun a",
  "benchmark to replace its section.",
  "",
].join("\n");

/** The machine lines of a section: CPU, cores, memory, kernel, Deno, commit, load. */
export async function machineLines(): Promise<string[]> {
  const info = await machineInfo();
  const keep = ["cpu", "cores", "memory", "kernel", "deno", "commit", "load average at start"];
  return keep.filter((key) => info[key]).map((key) => `- ${key}: ${info[key]}`);
}

/** A Markdown table of `rows` under `header`. */
export function table(header: string[], rows: (string | number)[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

/** The quantile `p` (0..1) of `samples` in ms, rounded to 0.01 ms (nearest rank). */
export function quantile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return Math.round(sorted[rank - 1]! * 100) / 100;
}

/**
 * Replaces (or appends) the section `id` of `bench/V2_RESULTS.md` with
 * `title` and `lines`, stamped with the date and the machine.
 */
export async function writeSection(id: string, title: string, lines: string[]): Promise<void> {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const body = [
    start,
    `## ${title}`,
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on:`,
    "",
    ...(await machineLines()),
    "",
    ...lines,
    end,
  ].join("\n");
  let text = await Deno.readTextFile(FILE).catch(() => HEADER);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = text.slice(0, from) + body + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n${body}\n`;
  await Deno.writeTextFile(FILE, text);
  // Aligned as `deno fmt --check` (part of `deno task check`) wants it.
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", FILE.pathname],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!fmt.success) throw new Error("deno fmt failed on bench/V2_RESULTS.md");
}
