/**
 * Test helper: a real `redis-server` on a free loopback port, with an
 * append-only file in a temporary directory so a restart keeps the data.
 *
 * When `redis-server` is missing, {@linkcode redisOrSkip} registers a failing
 * test under `CI=true` and otherwise prints why the Redis tests are skipped.
 *
 * @module
 */

/** A running (or stopped, for a restart) `redis-server`. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The server's pid while it runs. */
  readonly pid: number | undefined;
  /** Stops it; SIGTERM lets it flush its append-only file, SIGKILL does not. */
  stop(signal?: Deno.Signal): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Why Redis tests cannot run here, or `undefined` when they can. */
export function redisMissing(): string | undefined {
  try {
    const out = new Deno.Command("redis-server", { args: ["--version"], stdout: "piped" })
      .outputSync();
    return out.success ? undefined : "redis-server --version failed";
  } catch {
    return "redis-server is not installed (apt-get install -y redis-server)";
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Whether a Redis on 127.0.0.1:`port` answers `PING` with `+PONG`. */
export async function answersPing(port: number): Promise<boolean> {
  let conn: Deno.TcpConn | undefined;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode("PING\r\n"));
    const buf = new Uint8Array(64);
    const n = await conn.read(buf);
    return n !== null && new TextDecoder().decode(buf.subarray(0, n)).startsWith("+PONG");
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save '' --appendonly yes --dir <tmp>`.
 * The process is killed when the test module unloads.
 */
export async function startRedisServer(
  options: { appendfsync?: "always" | "everysec" } = {},
): Promise<RedisServer> {
  const dir = await Deno.makeTempDir({ prefix: "chat-redis-test-" });
  let port = freePort();
  let child: Deno.ChildProcess | undefined;
  let started = false;

  const start = async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const process = new Deno.Command("redis-server", {
        args: [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "yes",
          "--appendfsync",
          options.appendfsync ?? "always",
          "--dir",
          dir,
          "--logfile",
          "",
        ],
        stdout: "null",
        stderr: "null",
        stdin: "null",
      }).spawn();
      const deadline = Date.now() + 5000;
      let exited = false;
      process.status.then(() => (exited = true));
      while (Date.now() < deadline && !exited) {
        if (await answersPing(port)) {
          child = process;
          started = true;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (!exited) process.kill("SIGKILL");
      await process.status;
      // The first start may lose a race for its port; a restart keeps its port.
      if (!started) port = freePort();
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };

  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    const running = child;
    child = undefined;
    if (!running) return;
    try {
      running.kill(signal);
    } catch {
      // Already gone.
    }
    await running.status;
  };

  const server: RedisServer = {
    get port() {
      return port;
    },
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    dir,
    get pid() {
      return child?.pid;
    },
    stop,
    start,
    async dispose() {
      await stop("SIGKILL");
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  globalThis.addEventListener("unload", () => {
    try {
      child?.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // Already removed.
    }
  });
  await start();
  return server;
}

/**
 * Starts a Redis server for a test module, or says why it cannot: under
 * `CI=true` a missing `redis-server` registers a failing test, otherwise the
 * reason is printed and `undefined` returned (the module's tests are skipped).
 */
export async function redisOrSkip(
  module: string,
  options: { appendfsync?: "always" | "everysec" } = {},
): Promise<RedisServer | undefined> {
  const missing = redisMissing();
  if (missing === undefined) return await startRedisServer(options);
  if (Deno.env.get("CI") === "true") {
    Deno.test(`${module}: redis-server is installed (required when CI=true)`, () => {
      throw new Error(missing);
    });
  } else {
    console.error(`Skipping ${module}: ${missing}`);
  }
  return undefined;
}
