/**
 * Test and benchmark helper: the chat server as its own process
 * (`deno run -A src/main.ts`) on a free loopback port, waited on until it
 * answers `/healthz`.
 *
 * @module
 */
import { freePort } from "./_redis_server.ts";

/** The repository root, where `src/main.ts` lives. */
export const REPO_ROOT: string = new URL("../../", import.meta.url).pathname;

/** A running server process. */
export interface ChatProcess {
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly pid: number;
  /** Settles when the process exits. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** Sends a signal (SIGKILL by default) and waits for the exit. */
  kill(signal?: Deno.Signal): Promise<void>;
}

/**
 * Starts `deno run -A src/main.ts` with `env` added to this process's
 * environment and `PORT`/`HOST` set to a free loopback port.
 *
 * @param options.verbose pass the server's stderr through (default: discard it)
 */
export async function startChatProcess(
  env: Record<string, string>,
  options: { verbose?: boolean; readyTimeoutMs?: number } = {},
): Promise<ChatProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/main.ts"],
    cwd: REPO_ROOT,
    env: { LOG_LEVEL: "error", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdin: "null",
    stdout: "null",
    stderr: options.verbose ? "inherit" : "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  // Never outlive the test module, whatever happens to the test.
  globalThis.addEventListener("unload", () => {
    if (exited) return;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (true) {
    if (exited) throw new Error(`chat server on port ${port} exited at start`);
    try {
      const response = await fetch(`${url}/healthz`);
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await status;
      throw new Error(`chat server on port ${port} did not answer /healthz in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid,
    exited: status,
    async kill(signal: Deno.Signal = "SIGKILL") {
      if (!exited) {
        try {
          child.kill(signal);
        } catch {
          // Already gone.
        }
      }
      await status;
    },
  };
}
