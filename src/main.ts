/**
 * The composition root: reads the environment and flags, opens the runtime,
 * serves it and handles signals. Run it with `deno task start`;
 * `src/serve.ts` is the entry for `deno serve`.
 *
 * @module
 */
import { type Config, loadConfig } from "./config/load_config.ts";
import { flagsToEnv } from "./config/flags.ts";
import { StartupError } from "./errors.ts";
import { openRuntime, type Runtime } from "./runtime.ts";

/**
 * Reads the configuration of `deno run src/main.ts`: one isolate, so the
 * in-process bus unless `BUS` says otherwise.
 *
 * @throws {import("./config/load_config.ts").ConfigError} naming the first invalid variable
 */
export function configFrom(env: Record<string, string>, args: readonly string[]): Config {
  return loadConfig({ ...env, ...flagsToEnv(args) }, { launch: "run" });
}

/** Prints a failure to start and exits: 2 for a bad setting, 1 for a backend that is away. */
function cannotStart(error: StartupError): never {
  console.error(`Cannot start: ${error.message}`);
  Deno.exit(error.name === "ConfigError" ? 2 : 1);
}

async function main(): Promise<void> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime(configFrom(Deno.env.toObject(), Deno.args));
  } catch (error) {
    if (error instanceof StartupError) cannotStart(error);
    throw error;
  }
  const { logger, config } = runtime;
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: ({ hostname, port }) =>
      logger.info("Listening", { hostname, port, store: config.store }),
  }, runtime.app.fetch);

  let stopping = false;
  const stop = async (signal: Deno.Signal) => {
    if (stopping) return;
    stopping = true;
    logger.info("Stopping", { signal });
    const deadline = setTimeout(() => {
      logger.error("Shutdown took longer than 5 seconds; exiting");
      Deno.exit(1);
    }, 5000);
    // The app refuses new sockets from here on, closes its own with 1001
    // SHUTDOWN, then the bus and the store: everything acknowledged is committed.
    await runtime.close();
    // A peer that stopped reading keeps its connection until TCP gives up on
    // it, and the server's shutdown with it: do not wait for that.
    const grace = new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.race([server.shutdown(), grace]);
    clearTimeout(deadline);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
