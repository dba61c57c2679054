import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/config/load_config.ts";
import { flagsToEnv } from "../../src/config/flags.ts";

Deno.test("flagsToEnv() maps --name=value and --name value to variables", () => {
  assert.deepEqual(flagsToEnv([]), {});
  assert.deepEqual(
    flagsToEnv(["--port", "9000", "--store=kv", "--rate-limit-burst=5", "--JWT-SECRET=a=b"]),
    { PORT: "9000", STORE: "kv", RATE_LIMIT_BURST: "5", JWT_SECRET: "a=b" },
  );
  assert.deepEqual(flagsToEnv(["--host="]), { HOST: "" });
  assert.deepEqual(flagsToEnv(["--port=1", "--port=2"]), { PORT: "2" });
});

Deno.test("flagsToEnv() values override the environment in loadConfig()", () => {
  const env = { PORT: "1234", STORE: "sqlite" };
  const config = loadConfig({ ...env, ...flagsToEnv(["--port=4321"]) });
  assert.equal(config.port, 4321);
  assert.equal(config.store, "sqlite");
});

Deno.test("flagsToEnv() refuses unknown flags, bare words and a missing value", () => {
  const rows: Array<[string[], string]> = [
    [["--nope=1"], "--nope"],
    [["--database"], "--database"],
    [["port=1"], "port=1"],
    [["-p", "1"], "-p"],
    [["9000"], "9000"],
    [["--port"], "--port"],
    [["--store=kv", "--log-level"], "--log-level"],
  ];
  for (const [args, named] of rows) {
    assert.throws(() => flagsToEnv(args), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `${args}: got ${error}`);
      assert.ok(error.message.includes(named), `${args}: ${error.message}`);
      return true;
    }, args.join(" "));
  }
});

Deno.test("flagsToEnv() refuses a flag whose next argument is another flag", () => {
  assert.throws(() => flagsToEnv(["--port", "--store=kv"]), /Flag "--port" needs a value/);
});
