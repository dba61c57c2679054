/**
 * Runs the real server as a child process (`deno run -A src/main.ts`) on a
 * free loopback port with a temporary SQLite file, and reads its memory and
 * open descriptors from `/proc`.
 *
 * @module
 */
import { heapUsedAfterGcKiB } from "./inspector.ts";

/** A running child server. */
export interface ChildServer extends AsyncDisposable {
  readonly pid: number;
  readonly port: number;
  readonly base: string;
  readonly jwtSecret: string;
  readonly issuer: string;
  /** Resolves when the process exits, by itself or by {@linkcode ChildServer.stop}. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** `true` once the process has exited. */
  readonly hasExited: boolean;
  /** The last lines the server wrote to stderr and stdout. */
  logTail(): string[];
  /** Lines logged at level `error` so far. */
  readonly errorLines: number;
  /** Resident memory in KiB (`VmRSS`). */
  rssKiB(): Promise<number>;
  /** Open file descriptors. */
  openFds(): Promise<number>;
  /** The used JS heap after a forced GC, in KiB; `undefined` unless started with `inspect`. */
  heapKiB(): Promise<number | undefined>;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `graceMs`). */
  stop(
    graceMs?: number,
  ): Promise<{ code: number; signal: string | null; killed: boolean; ms: number }>;
}

/** Options for {@linkcode startChildServer}. */
export interface ChildServerOptions {
  /** The project root holding `deno.json` and `src/main.ts`. */
  root: URL;
  /** Extra environment. */
  env?: Record<string, string>;
  /** How long to wait for `GET /healthz`. */
  startTimeoutMs?: number;
  /** Open the V8 inspector on a loopback port, so the heap can be read. */
  inspect?: boolean;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Reads a `/proc` entry through `cat`/`ls`, which needs only `--allow-run` (Deno wants `-A` for `/proc`). */
async function procOutput(command: string, args: string[]): Promise<string> {
  const { stdout, success } = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!success) throw new Error(`${command} ${args.join(" ")} failed`);
  return new TextDecoder().decode(stdout);
}

async function readStatusField(pid: number, field: string): Promise<number> {
  const text = await procOutput("cat", [`/proc/${pid}/status`]);
  const match = new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(text);
  if (!match) throw new Error(`No ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Starts the server and waits until it answers `GET /healthz`. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = freePort();
  const inspectPort = options.inspect ? freePort() : undefined;
  const dir = await Deno.makeTempDir({ prefix: "chat-fuzz-" });
  const jwtSecret = `fuzz-secret-${crypto.randomUUID()}`;
  const issuer = "deno-chat";
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
      "src/main.ts",
    ],
    cwd: options.root,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: `${dir}/chat.sqlite3`,
      PBKDF2_ITERATIONS: "1000",
      JWT_SECRET: jwtSecret,
      JWT_ISSUER: issuer,
      LOG_LEVEL: "error",
      RATE_LIMIT_BURST: "1000000",
      RATE_LIMIT_PER_SEC: "1000000",
      MAX_SOCKETS_PER_ADDRESS: "0",
      LOGIN_RATE_LIMIT: "1000000",
      LOGIN_USER_RATE_LIMIT: "1000000",
      SIGNUP_RATE_LIMIT: "1000000",
      NO_COLOR: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  const tail: string[] = [];
  let errorLines = 0;
  let hasExited = false;
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const lines = stream.pipeThrough(new TextDecoderStream()).getReader();
    let rest = "";
    try {
      while (true) {
        const { done, value } = await lines.read();
        if (done) break;
        rest += value;
        const parts = rest.split("\n");
        rest = parts.pop() ?? "";
        for (const line of parts) {
          if (/"level":"error"/.test(line) || /^error:/i.test(line)) errorLines++;
          tail.push(line.slice(0, 2000));
          if (tail.length > 200) tail.shift();
        }
      }
    } catch {
      // The process went away.
    }
    if (rest) tail.push(rest.slice(0, 2000));
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const exited = child.status.then(async (status) => {
    hasExited = true;
    await pumps;
    return status;
  });
  const base = `http://127.0.0.1:${port}`;

  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  while (true) {
    if (hasExited) {
      await exited;
      throw new Error(`The server exited before answering:\n${tail.join("\n")}`);
    }
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new Error(`The server did not answer /healthz within ${startTimeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let stopped: ReturnType<ChildServer["stop"]> | undefined;
  const stop: ChildServer["stop"] = (graceMs = 8000) => {
    stopped ??= (async () => {
      const started = Date.now();
      let killed = false;
      if (!hasExited) {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already gone.
        }
      }
      const timer = setTimeout(() => {
        killed = true;
        try {
          child.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }, graceMs);
      const status = await exited;
      clearTimeout(timer);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      return { code: status.code, signal: status.signal, killed, ms: Date.now() - started };
    })();
    return stopped;
  };

  return {
    pid: child.pid,
    port,
    base,
    jwtSecret,
    issuer,
    exited,
    get hasExited() {
      return hasExited;
    },
    logTail: () => [...tail],
    get errorLines() {
      return errorLines;
    },
    rssKiB: () => readStatusField(child.pid, "VmRSS"),
    async openFds() {
      const listing = await procOutput("ls", [`/proc/${child.pid}/fd`]);
      return listing.split("\n").filter(Boolean).length;
    },
    heapKiB: () => inspectPort ? heapUsedAfterGcKiB(inspectPort) : Promise.resolve(undefined),
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}
