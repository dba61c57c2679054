/**
 * The entry for `deno serve` (and `deno serve --parallel`): each isolate builds
 * its own runtime on first use. Deno closes the sockets itself on SIGTERM with
 * 1001; this closes the bus (a BroadcastChannel keeps a process alive) and the
 * store. SIGUSR2 closes the sockets cleanly first: send it, then SIGTERM
 * `STOP_NOTICE_MS` later (the `start:parallel` launcher does; see
 * `src/realtime/session_registry.ts`).
 *
 * @module
 */
import { loadConfig } from "./config/load_config.ts";
import { StartupError } from "./errors.ts";
import { openRuntime, type Runtime } from "./runtime.ts";

let runtime: Promise<Runtime> | undefined;
const ready = () => runtime ??= openRuntime(loadConfig(Deno.env.toObject(), { launch: "serve" }));

// Deno's own graceful shutdown closes the sockets and exits once nothing keeps
// the isolate alive; closing the bus and store here lets it. Under load a
// signal was seen to reach only one of the isolates (the other, and its
// BroadcastChannel, never heard of it), so the process hung: the launcher
// `serve_parallel.ts` (the `start:parallel` task) kills it after 4.5 s.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    if (runtime) await (await runtime).close({ closeSockets: false });
  });
}
// Deno's shutdown drops each connection right after its close frame, so a
// client that is sending loses that frame (see src/realtime/session_registry.ts).
// `deno serve` starts its shutdown on the signal itself, so the launcher sends
// SIGUSR2 first: the isolate goes quiet and closes its sockets itself, keeping
// to the closing handshake; SIGTERM follows `STOP_NOTICE_MS` later.
Deno.addSignalListener("SIGUSR2", async () => {
  if (!runtime) return;
  await (await runtime).app.closeSocketsCleanly();
});

try {
  await ready();
} catch (error) {
  if (!(error instanceof StartupError)) throw error;
  console.error(`Cannot start: ${error.message}`);
  Deno.exit(error.exitCode);
}

export default {
  async fetch(request, info) {
    return (await ready()).app.fetch(request, info);
  },
} satisfies Deno.ServeDefaultExport;
