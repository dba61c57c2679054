/**
 * Test helpers for servers run as child processes (`deno task start`'s
 * command, `deno serve --parallel`, the bundle).
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** A free loopback port (bound and released). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The environment of each file-backed store, keeping its file in `dir` (the `--parallel` suites). */
export const FILE_STORES = {
  SQLite: (dir: string) => ({ STORE: "sqlite", DATABASE_PATH: `${dir}/chat.sqlite3` }),
  KV: (dir: string) => ({ STORE: "kv", KV_PATH: `${dir}/chat.kv` }),
};

/** A server child process. */
export interface ServerProcess extends AsyncDisposable {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly process: Deno.ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  kill(signal?: Deno.Signal): void;
  /** Resolves with the exit status. */
  readonly status: Promise<Deno.CommandStatus>;
}

/** How to start a server process. */
export interface SpawnOptions {
  /**
   * `main` (deno run src/main.ts), `parallel` (the `start:parallel` launcher), a
   * bundle path, or a task of deno.json run by `deno task` (`start`, `dev`, `start:parallel`).
   */
  mode?: "main" | "parallel" | { bundle: string } | { task: string };
  env?: Record<string, string>;
  port?: number;
  /** The CA to trust when `env` sets `TLS_CERT` and `TLS_KEY`: the URLs are then `https:`/`wss:`. */
  ca?: string;
  /** Working directory. */
  cwd?: string;
}

/** Spawns a server and waits until `/healthz` answers. */
export async function spawnServer(options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? freePort();
  const mode = options.mode ?? "main";
  const perms = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];
  let args: string[];
  if (mode === "main") args = ["run", ...perms, `${ROOT}src/main.ts`];
  else if (mode === "parallel") {
    // The `start:parallel` task's launcher, which runs `deno serve --parallel`.
    args = ["run", "--allow-run", "--allow-env", "--allow-read", `${ROOT}src/serve_parallel.ts`];
  } else if ("task" in mode) {
    args = ["task", "--quiet", "--config", `${ROOT}deno.json`, mode.task];
  } else args = ["run", "-A", mode.bundle];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd ?? ROOT,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      PBKDF2_ITERATIONS: "1000",
      JWT_SECRET: "process-test-secret-process-test-secret",
      LOG_LEVEL: "warn",
      LOGIN_RATE_LIMIT: "0",
      LOGIN_USER_RATE_LIMIT: "0",
      SIGNUP_RATE_LIMIT: "0",
      DENO_NO_UPDATE_CHECK: "1",
      // `deno serve --parallel` starts one isolate per core: two, even on one core.
      ...(mode === "parallel" || (typeof mode === "object" && "task" in mode)
        ? { DENO_JOBS: "2" }
        : {}),
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const status = child.status.then(async (s) => {
    // A grandchild (deno serve under the launcher) may hold the pipes a moment longer.
    await Promise.race([drained, new Promise((r) => setTimeout(r, 1000))]);
    return s;
  });
  let exited = false;
  status.then(() => (exited = true));
  const url = `${options.ca ? "https" : "http"}://127.0.0.1:${port}`;
  using client = Deno.createHttpClient({ caCerts: options.ca ? [options.ca] : [] });
  const deadline = Date.now() + 30_000;
  while (true) {
    if (exited) throw new Error(`server exited before listening:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`, { client });
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await status;
      throw new Error(`server did not listen within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const kill = (signal: Deno.Signal = "SIGTERM") => {
    if (!exited) {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
  };
  return {
    url,
    wsUrl: url.replace("http", "ws"),
    port,
    pid: child.pid,
    process: child,
    output: () => output,
    kill,
    status,
    async [Symbol.asyncDispose]() {
      // SIGTERM first: the parallel launcher must pass it on, or its deno serve lives on.
      kill("SIGTERM");
      const timer = setTimeout(() => kill("SIGKILL"), 6000);
      await status;
      clearTimeout(timer);
    },
  };
}
