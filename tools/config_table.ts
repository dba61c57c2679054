/**
 * Writes the configuration table of `docs/operations.md` from
 * `CONFIG_VARIABLES`, between its `config-table` markers:
 * `deno task docs`. `tests/docs_test.ts` fails when the table is stale.
 *
 * @module
 */
import { CONFIG_VARIABLES } from "../src/config/variables.ts";

const START = "<!-- config-table:start -->";
const END = "<!-- config-table:end -->";

/** The table, one row per variable. */
export function configTable(): string {
  const rows = CONFIG_VARIABLES.map((v) => {
    const flag = `--${v.name.toLowerCase().replaceAll("_", "-")}`;
    const value = v.default === "" ? "" : `\`${v.default}\``;
    return `| \`${v.name}\` | \`${flag}\` | ${value} | ${v.help.replaceAll("|", "\\|")} |`;
  });
  return ["| variable | flag | default | meaning |", "| --- | --- | --- | --- |", ...rows].join(
    "\n",
  );
}

/** `markdown` with the table between the markers replaced by a fresh one. */
export function withConfigTable(markdown: string): string {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`Cannot find the ${START} … ${END} markers`);
  return `${markdown.slice(0, start + START.length)}\n${configTable()}\n${markdown.slice(end)}`;
}

if (import.meta.main) {
  const path = new URL("../docs/operations.md", import.meta.url);
  await Deno.writeTextFile(path, withConfigTable(await Deno.readTextFile(path)));
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", path.pathname] }).output();
  if (!fmt.success) throw new Error("deno fmt failed");
}
