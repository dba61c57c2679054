/**
 * A `redis-server` for S6 on a free loopback port, started from a
 * configuration file this module writes into a temporary directory (no
 * persistence: a benchmark's data is thrown away), and stopped with it.
 *
 * @module
 */
import { answersPing } from "../tests/redis/_redis_server.ts";
import { freePort, raisedLimitArgs } from "./servers.ts";

/** A running `redis-server`. */
export interface BenchRedis extends AsyncDisposable {
  readonly url: string;
  readonly pid: number;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** The configuration S6 runs Redis with. */
export function redisConfig(port: number, dir: string): string {
  return [
    `port ${port}`,
    "bind 127.0.0.1",
    "protected-mode yes",
    'save ""',
    "appendonly no",
    `dir ${dir}`,
    'logfile ""',
    "daemonize no",
    "maxclients 10000",
    "",
  ].join("\n");
}

/**
 * Starts `redis-server <dir>/redis.conf`.
 *
 * @throws when `redis-server` is missing or does not answer within 5 s
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const dir = await Deno.makeTempDir({ prefix: "chat-bench-redis-" });
  const port = freePort();
  await Deno.writeTextFile(`${dir}/redis.conf`, redisConfig(port, dir));
  const child = new Deno.Command("sh", {
    args: raisedLimitArgs(["redis-server", `${dir}/redis.conf`]),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch {
        // Gone.
      }
    }
    await status;
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const deadline = Date.now() + 5000;
  while (!(await answersPing(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
