/**
 * Runs the browser scenarios (`*_page_scenarios.ts` beside this file) in
 * headless Chromium.
 *
 * Playwright under Deno needs `--allow-all` (it probes `/proc` when loaded),
 * which the project's test task does not grant, so the scenarios run in a
 * child `deno test -A`. Without /usr/bin/chromium this test is skipped with a
 * printed reason, except under `CI=true`, where it fails.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CHROMIUM } from "./_chromium.ts";

const HERE = new URL("./", import.meta.url);

function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/**
 * The scenario files, and how many tests they hold (each `Deno.test({` or
 * `browserScenario(` of `_page.ts` is one).
 */
function scenarios(): { paths: string[]; tests: number } {
  const paths: string[] = [];
  let tests = 0;
  for (const entry of Deno.readDirSync(HERE)) {
    if (!entry.isFile || !entry.name.endsWith("_page_scenarios.ts")) continue;
    const path = new URL(entry.name, HERE).pathname;
    paths.push(path);
    tests += Deno.readTextFileSync(path).match(/\n(Deno\.test\(\{|browserScenario\()/g)?.length ??
      0;
  }
  return { paths: paths.sort(), tests };
}

const installed = chromiumInstalled();
const inCi = Deno.env.get("CI") === "true";
if (!installed && !inCi) {
  console.warn(
    `Skipping the browser test: ${CHROMIUM} is missing (apt-get install -y chromium to run it)`,
  );
}

Deno.test({
  name: "the chat page works in headless Chromium (scenarios run in a child deno test -A)",
  ignore: !installed && !inCi,
  async fn() {
    assert.ok(installed, `${CHROMIUM} is missing: install Debian's chromium package`);
    const { paths, tests } = scenarios();
    assert.ok(paths.length >= 3 && tests >= 6, `found ${paths.length} files, ${tests} tests`);
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check", ...paths],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const output = decoder.decode(child.stdout) + decoder.decode(child.stderr);
    // Indented, so the child's summary line is not read as this run's.
    const report = output.split("\n").map((line) => `  | ${line}`).join("\n");
    if (!child.success) console.log(report);
    assert.ok(child.success, "the browser scenarios failed (their output is above)");
    assert.match(output, new RegExp(`ok \\| ${tests} passed \\| 0 failed`));
  },
});
