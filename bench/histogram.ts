/**
 * The load generator's latency histogram on the Deno side: 0.1 ms buckets up
 * to 30 s, the same as `peers/loadgen.mjs`, so that the histograms of several
 * client processes can be merged before taking quantiles.
 *
 * @module
 */
import type { Latency } from "./results.ts";

const BUCKET_MS = 0.1;
const BUCKETS = 300_000;

/** A histogram as `Histogram.sparse()` in `loadgen.mjs` sends it. */
export interface SparseHistogram {
  buckets: [number, number][];
  n: number;
  sum: number;
  max: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A mergeable latency histogram. */
export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  n = 0;
  sum = 0;
  max = 0;

  /** Adds another process's histogram. */
  merge(other: SparseHistogram): void {
    for (const [i, count] of other.buckets) this.counts[i] = this.counts[i]! + count;
    this.n += other.n;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  /** The quantile `p` (e.g. 0.99) in ms, at the bucket's upper edge; `null` when empty. */
  quantile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil(p * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return round((i + 1) * BUCKET_MS, 1);
    }
    return round(this.max, 1);
  }

  /** Quantiles, max and mean. */
  summary(): Latency {
    return {
      count: this.n,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.n ? round(this.max, 1) : null,
      mean: this.n ? round(this.sum / this.n, 2) : null,
    };
  }
}
