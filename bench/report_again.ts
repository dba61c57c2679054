/**
 * Writes `RESULTS.md` again from `results.json` and the latest
 * `bench:sockets` and `bench:memory` runs (`sockets.json`, `memory.json`),
 * without measuring anything: `deno run -A bench/report_again.ts`. Use it
 * after one of those runs, so the report's S6 and memory targets are theirs.
 *
 * @module
 */
import { REPO_ROOT } from "./servers.ts";
import { renderReport } from "./report.ts";
import type { RunResults } from "./results.ts";
import { reportExtras } from "./run.ts";

const results = JSON.parse(
  await Deno.readTextFile(`${REPO_ROOT}/bench/results.json`),
) as RunResults;
const out = `${REPO_ROOT}/bench/RESULTS.md`;
await Deno.writeTextFile(out, renderReport(results, await reportExtras()));
await new Deno.Command("deno", { args: ["fmt", "--quiet", out] }).output();
console.error(`[bench] wrote ${out} from bench/results.json, sockets.json and memory.json`);
