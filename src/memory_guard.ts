/**
 * The resident-memory sampler behind `MEMORY_HIGH_WATER_MB`: reads the
 * process's RSS every second, every 250 ms once it is past half the mark, and
 * says whether it is over the mark. What to do about it (refuse sockets, shed
 * readers, fail `/readyz`) is the caller's.
 *
 * Why not always 250 ms: on the benchmark machine the first work after an
 * idle spell is slow (cold caches on a shared VM): `Deno.memoryUsage()` takes
 * 1–5 ms when it is that first work and microseconds right after, so four
 * samples a second were most of an idle server's CPU (`bench/HISTORY.md`).
 * Memory far from the mark is looked at less often; memory on its way up,
 * more often.
 *
 * Deno reads a whole WebSocket frame (up to 64 MiB) before JavaScript sees
 * it and offers no smaller limit (denoland/deno#15809), so a few sockets can
 * make the process hold gigabytes; this is the last line behind the
 * per-address socket cap (see docs/operations.md, "Hostile frames and memory").
 *
 * @module
 */

/** Schedules `run` every `ms`; returns the function that stops it. */
export type Every = (run: () => void, ms: number) => () => void;

/** One sample, as handed to {@linkcode MemoryGuardOptions.onSample}. */
export interface MemorySample {
  /** Resident memory in bytes. */
  readonly rss: number;
  /** Whether it is at or over the mark. */
  readonly over: boolean;
  /** Whether `over` differs from the sample before. */
  readonly changed: boolean;
}

/** Options of {@linkcode MemoryGuard}. */
export interface MemoryGuardOptions {
  /** The mark in bytes; 0 turns the guard off (never over, no timer). */
  readonly highWaterBytes: number;
  /** Resident memory in bytes; default `Deno.memoryUsage().rss`. */
  readonly rss?: () => number;
  /** The clock; default an unref'd `setInterval`, which does not keep the process alive. */
  readonly every?: Every;
  /** Milliseconds between samples while RSS is under half the mark; default 1000. */
  readonly intervalMs?: number;
  /** Milliseconds between samples from half the mark up; default 250. */
  readonly nearIntervalMs?: number;
  /** Called after every sample. */
  readonly onSample?: (sample: MemorySample) => void;
}

/** The default clock: `setInterval`, unref'd. */
export const everyInterval: Every = (run, ms) => {
  const id = setInterval(run, ms);
  Deno.unrefTimer(id);
  return () => clearInterval(id);
};

/** Samples the process's resident memory against a high-water mark. */
export class MemoryGuard {
  readonly highWaterBytes: number;
  readonly #rss: () => number;
  readonly #onSample: ((sample: MemorySample) => void) | undefined;
  readonly #every: Every;
  readonly #farMs: number;
  readonly #nearMs: number;
  #stop: () => void = () => {};
  #near = false;
  #closed = false;
  #over = false;
  #last = 0;

  constructor(options: MemoryGuardOptions) {
    this.highWaterBytes = options.highWaterBytes;
    this.#rss = options.rss ?? (() => Deno.memoryUsage().rss);
    this.#onSample = options.onSample;
    this.#every = options.every ?? everyInterval;
    this.#farMs = options.intervalMs ?? 1000;
    this.#nearMs = options.nearIntervalMs ?? 250;
    if (this.highWaterBytes > 0) this.#schedule();
  }

  /** (Re)starts the timer at the pace the last sample asks for. */
  #schedule(): void {
    this.#stop();
    this.#stop = this.#every(() => this.sample(), this.#near ? this.#nearMs : this.#farMs);
  }

  /** True while the last sample was at or over the mark. */
  get over(): boolean {
    return this.#over;
  }

  /** The last sample in bytes (0 before the first). */
  get lastRss(): number {
    return this.#last;
  }

  /** Takes one sample now; returns whether memory is over the mark. */
  sample(): boolean {
    if (this.highWaterBytes <= 0) return false;
    const rss = this.#rss();
    const over = rss >= this.highWaterBytes;
    const changed = over !== this.#over;
    this.#over = over;
    this.#last = rss;
    const near = rss >= this.highWaterBytes / 2;
    if (near !== this.#near && !this.#closed) {
      this.#near = near;
      this.#schedule();
    }
    this.#onSample?.({ rss, over, changed });
    return over;
  }

  /** Stops sampling. */
  close(): void {
    this.#closed = true;
    this.#stop();
  }
}
