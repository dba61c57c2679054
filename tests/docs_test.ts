/**
 * The repository documents itself: the configuration table of
 * `docs/operations.md` lists every variable the server reads (regenerate it
 * with `deno task docs`), and no document points outside the repository's
 * own files for the API.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../src/config/variables.ts";

const root = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

Deno.test("docs/operations.md lists every configuration variable with its flag and default", async () => {
  const doc = await read("docs/operations.md");
  const table = doc.slice(
    doc.indexOf("<!-- config-table:start -->"),
    doc.indexOf("<!-- config-table:end -->"),
  );
  const rows = new Map<string, string[]>();
  for (const line of table.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    const name = /^`([A-Z0-9_]+)`$/.exec(cells[0] ?? "")?.[1];
    if (name) rows.set(name, cells);
  }
  for (const v of CONFIG_VARIABLES) {
    const cells = rows.get(v.name);
    assert.ok(cells, `${v.name} is missing: run deno task docs`);
    assert.equal(cells[1], `\`--${v.name.toLowerCase().replaceAll("_", "-")}\``, v.name);
    assert.equal(
      cells[2],
      v.default === "" ? "" : `\`${v.default}\``,
      `${v.name}: run deno task docs`,
    );
  }
  const known = new Set(CONFIG_VARIABLES.map((v) => v.name));
  for (const name of rows.keys()) assert.ok(known.has(name), `${name} is not read by the server`);
});

Deno.test("no document in the repository links to files outside it", async () => {
  const files = ["README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", root))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(`docs/${entry.name}`);
  }
  for (const file of files) {
    const text = await read(file);
    assert.doesNotMatch(text, /\.\.\/shared|CONTRACT\.md|chat-api\.md/, file);
  }
});
