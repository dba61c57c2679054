/**
 * The Deno side of one socket-holding client process
 * (`peers/sockets_worker.mjs`): spawns it with its fd limit raised to the
 * hard limit, sends it one JSON command at a time on stdin and reads its
 * one-line JSON answer from stdout.
 *
 * @module
 */
import { raisedLimitArgs, REPO_ROOT } from "./servers.ts";

/** What a worker holds: see `peers/sockets_worker.mjs`. */
export interface WorkerSetup {
  servers: { kind: string; base: string; pid: number }[];
  localAddress: string;
  from: number;
  to: number;
  layout: { bigRoom: string; bigCount: number; idleRooms: number };
  timeLimitMs: number;
}

/** An answer: `ok` and the command's figures. */
// deno-lint-ignore no-explicit-any
export type WorkerReply = { ok: true } & Record<string, any>;

/** One running client process. */
export class SocketsWorker {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#lines = child.stdout
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(lineSplitter())[Symbol.asyncIterator]();
  }

  /** Starts a worker for `setup`. */
  static spawn(setup: WorkerSetup): SocketsWorker {
    const child = new Deno.Command("sh", {
      args: raisedLimitArgs(["node", "bench/peers/sockets_worker.mjs", JSON.stringify(setup)]),
      cwd: REPO_ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    return new SocketsWorker(child);
  }

  /**
   * Sends one command and waits for its answer, at most `timeoutMs`.
   *
   * @throws when the worker answers with an error, exits or times out
   */
  send(command: Record<string, unknown>, timeoutMs = 240_000): Promise<WorkerReply> {
    const run = async () => {
      await this.#writer.write(new TextEncoder().encode(JSON.stringify(command) + "\n"));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`worker did not answer "${command.cmd}" in ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        const next = await Promise.race([this.#lines.next(), timeout]);
        if (next.done) throw new Error(`worker exited during "${command.cmd}"`);
        const reply = JSON.parse(next.value);
        if (!reply.ok) throw new Error(`worker failed "${command.cmd}": ${reply.error}`);
        return reply as WorkerReply;
      } finally {
        clearTimeout(timer);
      }
    };
    const result = this.#chain.then(run, run);
    this.#chain = result.catch(() => {});
    return result;
  }

  /** Closes its sockets and waits for it to exit; kills it after 30 s. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const killer = setTimeout(() => {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // Gone.
      }
    }, 30_000);
    try {
      await this.send({ cmd: "close" }, 30_000).catch(() => {});
      await this.#writer.close().catch(() => {});
      await this.#child.status;
    } finally {
      clearTimeout(killer);
    }
  }
}

/** Splits a text stream into lines. */
function lineSplitter(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) if (line.trim()) controller.enqueue(line);
    },
    flush(controller) {
      if (rest.trim()) controller.enqueue(rest);
    },
  });
}
