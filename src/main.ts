/**
 * The composition root: reads the environment and flags, opens the runtime,
 * serves it and handles signals. Run it with `deno task start`;
 * `src/serve.ts` is the entry for `deno serve`.
 *
 * @module
 */
import { configFrom } from "./config/flags.ts";
import { StartupError } from "./errors.ts";
import { readTlsOptions, serveTls } from "./http/tls_options.ts";
import { openRuntime, type Runtime } from "./runtime.ts";

/** Prints a failure to start and exits: 2 for a bad setting, 1 for a backend that is away. */
function cannotStart(error: StartupError): never {
  console.error(`Cannot start: ${error.message}`);
  Deno.exit(error.exitCode);
}

async function main(): Promise<void> {
  let runtime: Runtime;
  let tls: Deno.TlsCertifiedKeyPem | undefined;
  try {
    const config = configFrom(Deno.env.toObject(), Deno.args);
    if (config.tls) tls = await readTlsOptions(config.tls);
    runtime = await openRuntime(config);
  } catch (error) {
    if (error instanceof StartupError) cannotStart(error);
    throw error;
  }
  const { logger, config } = runtime;
  const serve = () =>
    Deno.serve({
      port: config.port,
      hostname: config.host,
      ...tls,
      onListen: ({ hostname, port }) =>
        logger.info("Listening", { hostname, port, store: config.store, https: Boolean(tls) }),
    }, runtime.app.fetch);
  let server: Deno.HttpServer;
  try {
    server = config.tls ? serveTls(config.tls, serve) : serve();
  } catch (error) {
    await runtime.close();
    if (error instanceof StartupError) cannotStart(error);
    throw error;
  }

  let stopping = false;
  const stop = async (signal: Deno.Signal) => {
    if (stopping) return;
    stopping = true;
    logger.info("Stopping", { signal });
    const deadline = setTimeout(() => {
      logger.error("Shutdown took longer than 5 seconds; exiting");
      Deno.exit(1);
    }, 5000);
    // Sockets are closed by Deno's own shutdown, with 1001: closed from
    // JavaScript, a client that is sending at that moment would get 1006 (see
    // src/realtime/session_registry.ts). First the app takes no more sockets or
    // frames and writes nothing more, and what it wrote drains, so each close
    // frame goes out at once; then the server closes every socket; then the
    // app finishes what it was storing and closes the bus and the store, so
    // everything acknowledged is committed.
    await runtime.app.quiet(1000);
    const shutdown = server.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 0));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    // A peer that stopped reading keeps its connection until TCP gives up on
    // it, and the server's shutdown with it: do not wait for that.
    const grace = new Promise((resolve) => setTimeout(resolve, 1500));
    await Promise.race([shutdown, grace]);
    await runtime.close({ closeSockets: false });
    clearTimeout(deadline);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
