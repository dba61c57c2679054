/**
 * `deno task backup <destination>`: writes a consistent copy of the SQLite
 * database the server uses (`DATABASE_PATH`, read from the environment and
 * flags as the server reads it) while the server keeps serving. The copy is
 * one snapshot (SQLite's backup API), written beside the destination and
 * renamed into place.
 *
 * @module
 */
import { flagsToEnv } from "./config/flags.ts";
import { ConfigError, loadConfig } from "./config/load_config.ts";
import { backupSqliteFile } from "./store/sqlite_store.ts";

/** What one backup copies where. */
export interface BackupPlan {
  readonly source: string;
  readonly destination: string;
}

/**
 * Reads the plan from the arguments (one destination, then flags such as
 * `--database-path=…`) and the environment.
 *
 * @throws {ConfigError} for a missing destination, a bad setting or a store that is not SQLite
 */
export function backupPlan(args: readonly string[], env: Record<string, string>): BackupPlan {
  const positional = args.filter((arg) => !arg.startsWith("--"));
  const flags = args.filter((arg) => arg.startsWith("--"));
  if (positional.length !== 1) {
    throw new ConfigError("Usage: deno task backup <destination> [--database-path=<file>]");
  }
  const config = loadConfig({ ...env, ...flagsToEnv(flags) });
  if (config.store !== "sqlite") {
    throw new ConfigError(
      `Cannot back up: STORE is "${config.store}", and only the SQLite store is backed up here`,
    );
  }
  const destination = positional[0]!;
  if (resolve(destination) === resolve(config.databasePath)) {
    throw new ConfigError(`Cannot back up "${destination}" onto itself`);
  }
  return { source: config.databasePath, destination };
}

function resolve(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  }
}

/** Runs a backup; returns the exit code (0 done, 1 failed, 2 bad usage or setting). */
export async function runBackup(
  args: readonly string[],
  env: Record<string, string>,
): Promise<number> {
  let plan: BackupPlan;
  try {
    plan = backupPlan(args, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const started = performance.now();
  try {
    await backupSqliteFile(plan.source, plan.destination);
  } catch (error) {
    console.error(
      `Cannot back up "${plan.source}" to "${plan.destination}": ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return 1;
  }
  const bytes = Deno.statSync(plan.destination).size;
  const ms = Math.round(performance.now() - started);
  console.log(`Backed up "${plan.source}" to "${plan.destination}" (${bytes} bytes, ${ms} ms)`);
  return 0;
}

if (import.meta.main) Deno.exit(await runBackup(Deno.args, Deno.env.toObject()));
