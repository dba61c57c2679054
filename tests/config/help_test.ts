/**
 * `--help` and `--version` of the server, through the process: `deno run
 * src/main.ts`, `deno task start` and `deno task dev`, which passes them on.
 *
 * @module
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { helpText, oneShotRequest, versionText } from "../../src/config/help.ts";
import { CONFIG_VARIABLES } from "../../src/config/variables.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs `deno <args>` in the repository and returns its exit code and output. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    // A port that is surely taken would fail a start: none must happen.
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", PORT: "1" },
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("oneShotRequest(): help wins over version and other flags; a value or bare word is not a flag", () => {
  assert.equal(oneShotRequest(["--port=8080", "--help"]), "help");
  assert.equal(oneShotRequest(["-V", "-h"]), "help");
  assert.equal(oneShotRequest(["--port", "8080", "--version"]), "version");
  for (const args of [[], ["help"], ["--HELP"], ["--title=--help"], ["--help=1"], ["-v"]]) {
    assert.equal(oneShotRequest(args), undefined, JSON.stringify(args));
  }
});

Deno.test("helpText() lists every variable with its flag, default and help", () => {
  const text = helpText();
  assert.match(text, /^Usage: deno task start/m);
  for (const variable of CONFIG_VARIABLES) {
    const flag = `--${variable.name.toLowerCase().replaceAll("_", "-")}`;
    const value = variable.default === "" ? "none" : variable.default;
    assert.ok(text.includes(`${variable.name}  ${flag}  (default: ${value})`), variable.name);
    assert.ok(text.includes(variable.help), variable.name);
  }
});

Deno.test("versionText() names the server's version from deno.json and Deno's", () => {
  assert.equal(
    versionText(),
    `chat-server ${denoJson.version}\ndeno ${Deno.version.deno}\nv8 ${Deno.version.v8}\n` +
      `typescript ${Deno.version.typescript}\n`,
  );
});

Deno.test("deno run src/main.ts --version prints the versions and exits 0", async () => {
  const result = await run(["run", "src/main.ts", "--version"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, versionText());
});

Deno.test("deno task start --help prints the usage and exits 0 without starting", async () => {
  const result = await run(["task", "--quiet", "start", "--help"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, helpText());
  assert.doesNotMatch(result.stderr, /Listening|Cannot start/);
});

Deno.test("deno task start -h and -V are the short forms", async () => {
  assert.equal((await run(["task", "--quiet", "start", "-h"])).stdout, helpText());
  assert.equal((await run(["task", "--quiet", "start", "-V"])).stdout, versionText());
});

Deno.test("deno task dev --help passes the flag on, prints the usage and exits 0", async () => {
  const result = await run(["task", "--quiet", "dev", "--help"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, helpText());
});

Deno.test("an unknown flag still stops the start with exit code 2", async () => {
  const result = await run(["task", "--quiet", "start", "--bogus"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Unknown flag "--bogus"/);
  assert.equal(result.stdout, "");
});
