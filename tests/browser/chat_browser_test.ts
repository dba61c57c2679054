/**
 * Runs the browser scenarios (`chat_page_scenarios.ts`) in headless Chromium.
 *
 * Playwright under Deno needs `--allow-all` (it probes `/proc` when loaded),
 * which the project's test task does not grant, so the scenarios run in a
 * child `deno test -A`. Without /usr/bin/chromium this test is skipped with a
 * printed reason, except under `CI=true`, where it fails.
 *
 * @module
 */
import assert from "node:assert/strict";

const CHROMIUM = "/usr/bin/chromium";
const SCENARIOS = new URL("./chat_page_scenarios.ts", import.meta.url);

function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
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
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check", SCENARIOS.pathname],
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
    assert.match(output, /ok \| 2 passed \| 0 failed/);
  },
});
