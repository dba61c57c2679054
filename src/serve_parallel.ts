/**
 * Runs `deno serve --parallel` on `src/serve.ts` with `PORT` and `HOST` from the
 * environment (deno serve itself reads only its flags), forwarding signals.
 *
 * @module
 */
import { ConfigError, loadConfig } from "./config/load_config.ts";

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
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      child.kill(signal);
      if (stopping) return;
      stopping = true;
      // Messages are committed before they are acknowledged, so killing a
      // straggling isolate loses nothing; it keeps the 5-second promise.
      setTimeout(() => {
        console.error("deno serve did not stop within 4.5 s; killing it");
        child.kill("SIGKILL");
      }, 4500);
    });
  }
  const status = await child.status;
  Deno.exit(stopping ? 0 : status.code);
}
