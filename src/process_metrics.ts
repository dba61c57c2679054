/**
 * The process's own metrics on `/metrics`, under the names Prometheus client
 * libraries use: resident memory, V8 heap, start time and CPU seconds, plus
 * `chat_build_info` with the server's and the runtime's versions.
 *
 * @module
 */
import process from "node:process";
import type { Metrics } from "./metrics.ts";
import { buildInfo } from "./version.ts";

/** CPU seconds (user + system) the process has used, or `undefined` where the runtime cannot tell. */
function cpuSeconds(): number | undefined {
  try {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  } catch {
    return undefined;
  }
}

/** Adds the process and build metrics to `metrics`; each is read when `/metrics` is rendered. */
export function addProcessMetrics(metrics: Metrics): void {
  metrics.gauge(
    "process_resident_memory_bytes",
    "Resident memory size in bytes",
    () => Deno.memoryUsage().rss,
  );
  metrics.gauge(
    "process_heap_bytes",
    "V8 heap in use, in bytes (this isolate)",
    () => Deno.memoryUsage().heapUsed,
  );
  // The isolate's time origin: the process's start for `deno run`, the worker's under `deno serve --parallel`.
  const started = Math.round(performance.timeOrigin) / 1000;
  metrics.gauge(
    "process_start_time_seconds",
    "Start time of the process (isolate) since the Unix epoch, in seconds",
    () => started,
  );
  if (cpuSeconds() !== undefined) {
    metrics.counter(
      "process_cpu_seconds_total",
      "Total user and system CPU time spent, in seconds",
      () => cpuSeconds() ?? 0,
    );
  }
  metrics.info(
    "chat_build_info",
    "The server's version and the Deno, V8 and TypeScript it runs on",
    { ...buildInfo() },
  );
}
