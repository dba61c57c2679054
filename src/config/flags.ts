/**
 * Command-line flags as configuration: `--port 9000` or `--store=kv` set the
 * variable of the same name (`PORT`, `STORE`), overriding the environment.
 *
 * @module
 */
import { type Config, loadConfig } from "./load_config.ts";
import { ConfigError } from "./values.ts";
import { CONFIG_DEFAULTS } from "./variables.ts";

/**
 * Turns flags into an environment-style record.
 *
 * @throws {ConfigError} for an unknown flag or one without a value
 */
export function flagsToEnv(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/i.exec(arg);
    if (!match) throw new ConfigError(`Unknown argument "${arg}": expected --name=value`);
    const name = match[1]!.toUpperCase().replaceAll("-", "_");
    if (!(name in CONFIG_DEFAULTS)) {
      throw new ConfigError(`Unknown flag "--${match[1]}"`);
    }
    let value = match[2];
    if (value === undefined) {
      value = args[++i];
      if (value === undefined || value.startsWith("--")) {
        throw new ConfigError(`Flag "--${match[1]}" needs a value`);
      }
    }
    out[name] = value;
  }
  return out;
}

/**
 * The configuration of `deno run src/main.ts` (and the bundle): the environment
 * overridden by flags, on one isolate, so the in-process bus unless `BUS` says
 * otherwise.
 *
 * @throws {ConfigError} naming the first invalid variable or flag
 */
export function configFrom(env: Record<string, string>, args: readonly string[]): Config {
  return loadConfig({ ...env, ...flagsToEnv(args) }, { launch: "run" });
}
