/**
 * The composition root: reads the environment and flags, opens the runtime,
 * serves it and handles signals. Run it with `deno task start`;
 * `src/serve.ts` is the entry for `deno serve`.
 *
 * @module
 */
import { configFrom } from "./config/flags.ts";
import { helpText, oneShotRequest, versionText } from "./config/help.ts";
import { StartupError } from "./errors.ts";
import { readTlsOptions, serveTls } from "./http/tls_options.ts";
import { openRuntime, type Runtime } from "./runtime.ts";

/** Prints a failure to start and exits: 2 for a bad setting, 1 for a backend that is away. */
function cannotStart(error: StartupError): never {
  console.error(`Cannot start: ${error.message}`);
  Deno.exit(error.exitCode);
}

async function main(): Promise<void> {
  const oneShot = oneShotRequest(Deno.args);
  if (oneShot) {
    await Deno.stdout.write(
      new TextEncoder().encode(oneShot === "help" ? helpText() : versionText()),
    );
    Deno.exit(0);
  }
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
    // Deno's own shutdown drops each connection right after its close
    // frame, and a client that is sending then loses that frame (1006; see
    // src/realtime/session_registry.ts). So first the app takes no more
    // sockets or frames and writes nothing more, and what it wrote drains;
    // then it closes every socket with 1001 keeping to the closing handshake
    // and waits for the clients' close frames; then the server shuts down
    // (what is left: sockets still upgrading, peers that stopped reading);
    // then the app finishes what it was storing and closes the bus and the
    // store, so everything acknowledged is committed.
    await runtime.app.closeSocketsCleanly();
    // A peer that stopped reading keeps its connection until TCP gives up on
    // it, and the server's shutdown with it: do not wait for that.
    const grace = new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.race([server.shutdown(), grace]);
    await runtime.close({ closeSockets: false });
    clearTimeout(deadline);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
