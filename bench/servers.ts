/**
 * Starts and stops the benchmarked servers as child processes on 127.0.0.1,
 * each with its file-descriptor limit raised to the hard limit.
 *
 * @module
 */

/** A kind of server process. */
export type ServerKind = "ours" | "floor" | "bun" | "ws" | "socketio";

/** How to start one server. */
export interface ServerSpec {
  readonly kind: ServerKind;
  /** Extra environment, e.g. our server's `STORE`, `PBKDF2_ITERATIONS`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Write a V8 CPU profile here on exit (`--cpu-prof`; our server and the floor). */
  readonly cpuProfDir?: string;
  /** Open the V8 inspector on 127.0.0.1 at this port (`--inspect`; our server and the floor). */
  readonly inspectPort?: number;
}

/** A running server. */
export interface RunningServer extends AsyncDisposable {
  readonly kind: ServerKind;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly pid: number;
  /** The last few KiB the process wrote, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
}

/** The repository root (the parent of `bench/`). */
export const REPO_ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The `bun` binary that the npm `bun` package in `bench/peers` installs. */
export const BUN_PATH: string = `${REPO_ROOT}/bench/peers/node_modules/.bin/bun`;

/** Runs a command with the soft fd limit raised to the hard one. */
export function raisedLimitArgs(command: readonly string[]): string[] {
  return ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...command];
}

/** A free loopback port (bound then released; another process could take it in between). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Our server's environment for benchmarks; `overrides` win. */
export function oursEnv(
  dataDir: string,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    HOST: "127.0.0.1",
    STORE: "sqlite",
    DATABASE_PATH: `${dataDir}/chat.sqlite3`,
    KV_PATH: `${dataDir}/chat.kv`,
    JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123456789",
    PBKDF2_ITERATIONS: "1000",
    RATE_LIMIT_BURST: "1000000",
    RATE_LIMIT_PER_SEC: "1000000",
    MAX_SOCKETS_PER_ADDRESS: "0",
    LOGIN_RATE_LIMIT: "0",
    LOGIN_USER_RATE_LIMIT: "0",
    SIGNUP_RATE_LIMIT: "0",
    LOG_LEVEL: "error",
    ...overrides,
  };
}

/** The profiling and inspector flags of a Deno server. */
function denoFlags(spec: ServerSpec): string[] {
  return [
    ...(spec.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${spec.cpuProfDir}`] : []),
    ...(spec.inspectPort ? [`--inspect=127.0.0.1:${spec.inspectPort}`] : []),
  ];
}

function command(spec: ServerSpec): string[] {
  switch (spec.kind) {
    case "ours":
      return [
        "deno",
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys=hostname",
        ...denoFlags(spec),
        "src/main.ts",
      ];
    case "floor":
      return [
        "deno",
        "run",
        "--allow-net",
        "--allow-env",
        ...denoFlags(spec),
        "bench/peers/deno_floor.ts",
      ];
    case "bun":
      return [BUN_PATH, "bench/peers/bun_server.mjs"];
    case "ws":
      return ["node", "bench/peers/ws_server.mjs"];
    case "socketio":
      return ["node", "bench/peers/socketio_server.mjs"];
  }
}

/** Keeps the last `limit` characters of a stream. */
function tail(stream: ReadableStream<Uint8Array>, limit = 8192): () => string {
  let text = "";
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text = (text + decoder.decode(chunk, { stream: true })).slice(-limit);
    }
  })().catch(() => {});
  return () => text;
}

/**
 * Starts a server and waits until it answers HTTP. A server that exits at once
 * is started again on another port (the free port may have been taken).
 *
 * @throws when it exits or does not answer within `timeoutMs`
 */
export async function startServer(spec: ServerSpec, timeoutMs = 30_000): Promise<RunningServer> {
  try {
    return await startOnce(spec, timeoutMs);
  } catch (error) {
    if (!(error instanceof ExitedEarly)) throw error;
    return await startOnce(spec, timeoutMs);
  }
}

class ExitedEarly extends Error {
  override name = "ExitedEarly";
}

async function startOnce(spec: ServerSpec, timeoutMs: number): Promise<RunningServer> {
  const port = freePort();
  const child = new Deno.Command("sh", {
    args: raisedLimitArgs(command(spec)),
    cwd: REPO_ROOT,
    env: { ...spec.env, HOST: "127.0.0.1", PORT: String(port) },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = tail(child.stdout);
  const err = tail(child.stderr);
  const output = () => (out() + err()).trim();
  let exited: Deno.CommandStatus | undefined;
  const status = child.status.then((s) => (exited = s));
  const base = `http://127.0.0.1:${port}`;

  const stop = async (graceMs = 8000) => {
    if (exited) return exited;
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }, graceMs);
    const s = await status;
    clearTimeout(timer);
    return s;
  };

  const probe = spec.kind === "ours" ? "/healthz" : "/";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new ExitedEarly(
        `${spec.kind} exited with code ${exited.code} before answering:\n${output()}`,
      );
    }
    try {
      const response = await fetch(base + probe, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop(1000);
      throw new Error(
        `${spec.kind} did not answer on ${base} within ${timeoutMs} ms:\n${output()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    kind: spec.kind,
    base,
    pid: child.pid,
    output,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}
