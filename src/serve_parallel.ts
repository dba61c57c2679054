/**
 * Runs `deno serve --parallel` on `src/serve.ts` with `PORT` and `HOST` from the
 * environment (deno serve itself reads only its flags), forwarding signals:
 * SIGINT or SIGTERM goes on as SIGUSR2 (the isolates close their sockets
 * cleanly), then itself.
 *
 * @module
 */
import { ConfigError, loadConfig } from "./config/load_config.ts";
import { STOP_NOTICE_MS } from "./realtime/session_registry.ts";

if (import.meta.main) {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cannot start: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
  const entry = new URL("./serve.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      "--parallel",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys=hostname",
      "--unstable-kv",
      "--host",
      config.host,
      "--port",
      String(config.port),
      entry,
    ],
    stdin: "null",
  }).spawn();
  let stopping = false;
  let forward: ReturnType<typeof setTimeout> | undefined;
  const pass = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      // A second signal is passed on at once.
      if (stopping) return void (clearTimeout(forward), pass(signal));
      stopping = true;
      // deno serve shuts down on the signal itself, dropping connections a
      // client may still be sending on: the isolates close their sockets
      // cleanly first (SIGUSR2, see serve.ts).
      pass("SIGUSR2");
      forward = setTimeout(() => pass(signal), STOP_NOTICE_MS);
      // Messages are committed before they are acknowledged, so killing a
      // straggling isolate loses nothing; it keeps the 5-second promise.
      setTimeout(() => {
        console.error("deno serve did not stop within 4.5 s; killing it");
        pass("SIGKILL");
      }, 4500);
    });
  }
  const status = await child.status;
  Deno.exit(stopping ? 0 : status.code);
}
