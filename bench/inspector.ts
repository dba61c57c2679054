/**
 * A minimal Chrome DevTools Protocol client for a Deno process started with
 * `--inspect=127.0.0.1:<port>`: commands, events, and heap snapshots taken
 * through `HeapProfiler`. Loopback only.
 *
 * @module
 */

/** A CDP message from the process. */
interface Incoming {
  id?: number;
  method?: string;
  // deno-lint-ignore no-explicit-any
  params?: any;
  // deno-lint-ignore no-explicit-any
  result?: any;
  error?: { message: string };
}

/** A connection to one process's inspector. */
export class Inspector {
  readonly #socket: WebSocket;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  // deno-lint-ignore no-explicit-any
  readonly #listeners = new Map<string, ((params: any) => void)[]>();
  #next = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Incoming;
      if (message.id !== undefined) {
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.#listeners.get(message.method) ?? []) listener(message.params);
      }
    };
    socket.onclose = () => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error("inspector closed"));
      this.#pending.clear();
    };
  }

  /**
   * Connects to the first target of the inspector at `port`, retrying for up to `timeoutMs`.
   *
   * @throws when no target answers in time
   */
  static async connect(port: number, timeoutMs = 10_000): Promise<Inspector> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as {
          webSocketDebuggerUrl: string;
        }[];
        const url = list[0]?.webSocketDebuggerUrl;
        if (url) {
          const socket = new WebSocket(url);
          await new Promise<void>((resolve, reject) => {
            socket.onopen = () => resolve();
            socket.onerror = () => reject(new Error(`cannot open ${url}`));
          });
          return new Inspector(socket);
        }
      } catch {
        // Not up yet.
      }
      if (Date.now() > deadline) throw new Error(`no inspector answered on port ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends a command and waits for its result. */
  // deno-lint-ignore no-explicit-any
  call(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Calls `listener` on every event named `method`. */
  // deno-lint-ignore no-explicit-any
  on(method: string, listener: (params: any) => void): void {
    this.#listeners.set(method, [...(this.#listeners.get(method) ?? []), listener]);
  }

  /** Evaluates an expression in the process's main context and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const out = await this.call("Runtime.evaluate", { expression, returnByValue: true });
    if (out.exceptionDetails) throw new Error(`evaluate failed: ${out.exceptionDetails.text}`);
    return out.result.value as T;
  }

  /** Every script's id and URL, as `Debugger.enable` replays them. */
  async scripts(): Promise<Map<string, string>> {
    const scripts = new Map<string, string>();
    this.on("Debugger.scriptParsed", (p) => scripts.set(String(p.scriptId), String(p.url)));
    await this.call("Debugger.enable");
    // The replay arrives before the command's answer; one more round trip to be sure.
    await this.call("Runtime.evaluate", { expression: "0" });
    return scripts;
  }

  /** Collects garbage, then takes a heap snapshot and returns its JSON text. */
  async heapSnapshot(): Promise<string> {
    const chunks: string[] = [];
    const listener = (p: { chunk: string }) => chunks.push(p.chunk);
    this.on("HeapProfiler.addHeapSnapshotChunk", listener);
    try {
      await this.call("HeapProfiler.enable");
      await this.call("HeapProfiler.collectGarbage");
      await this.call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    } finally {
      const list = this.#listeners.get("HeapProfiler.addHeapSnapshotChunk") ?? [];
      this.#listeners.set(
        "HeapProfiler.addHeapSnapshotChunk",
        list.filter((l) => l !== listener),
      );
    }
    return chunks.join("");
  }

  /** Closes the connection. */
  close(): void {
    try {
      this.#socket.close();
    } catch {
      // Already closed.
    }
  }
}
