/**
 * The load generators' latency histogram: 0.1 ms buckets up to 30 s, so that
 * the histograms of several client processes can be merged (`sparse()` on one
 * side, `merge()` on the other) before taking quantiles. Plain JavaScript with
 * no dependency: `loadgen.mjs` (Node) and `bench/sockets.ts` (Deno) share it.
 *
 * @module
 */

/** @param {number} x @param {number} digits */
export function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const BUCKET_MS = 0.1;
const BUCKETS = 300_000; // 0.1 ms resolution up to 30 s; slower lands in the last bucket

/** A latency histogram with 0.1 ms buckets. */
export class Histogram {
  constructor() {
    this.counts = new Uint32Array(BUCKETS);
    this.n = 0;
    this.sum = 0;
    this.max = 0;
  }

  /** @param {number} ms */
  add(ms) {
    const i = ms <= 0 ? 0 : Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS));
    this.counts[i]++;
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** @param {number} p a fraction, e.g. 0.99 */
  quantile(p) {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil(p * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return round((i + 1) * BUCKET_MS, 1);
    }
    return round(this.max, 1);
  }

  /** The non-empty buckets as `[index, count]` pairs, to send to another process. */
  sparse() {
    /** @type {[number, number][]} */
    const out = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]) out.push([i, this.counts[i]]);
    return { buckets: out, n: this.n, sum: this.sum, max: this.max };
  }

  /** Adds what {@linkcode Histogram.sparse} of another histogram returned. */
  merge(/** @type {{ buckets: [number, number][], n: number, sum: number, max: number }} */ other) {
    for (const [i, count] of other.buckets) this.counts[i] += count;
    this.n += other.n;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  summary() {
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
