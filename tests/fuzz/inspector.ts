/**
 * Reads a child Deno process's live JS heap through its V8 inspector
 * (`--inspect=127.0.0.1:<port>`): forces a full GC, then asks for the used
 * heap. A steadier leak signal than RSS, which V8 gives back lazily.
 *
 * @module
 */
import WebSocket from "ws";

/** Forces a GC in the inspected process and returns its used JS heap in KiB. */
export async function heapUsedAfterGcKiB(inspectPort: number, timeoutMs = 30_000): Promise<number> {
  const list = await fetch(`http://127.0.0.1:${inspectPort}/json/list`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  const targets = (await list.json()) as { webSocketDebuggerUrl?: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("The inspector lists no target");
  const ws = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    let next = 0;
    const call = (method: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = ++next;
        const timer = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
        const onMessage = (data: { toString(): string }) => {
          const message = JSON.parse(data.toString()) as {
            id?: number;
            result?: Record<string, unknown>;
            error?: unknown;
          };
          if (message.id !== id) return;
          clearTimeout(timer);
          ws.off("message", onMessage);
          if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
          else resolve(message.result ?? {});
        };
        ws.on("message", onMessage);
        ws.send(JSON.stringify({ id, method }));
      });
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.collectGarbage");
    const usage = await call("Runtime.getHeapUsage");
    if (typeof usage.usedSize !== "number") {
      throw new Error("Runtime.getHeapUsage returned no usedSize");
    }
    return Math.round(usage.usedSize / 1024);
  } finally {
    await new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once("close", () => resolve());
      ws.close();
    });
  }
}
