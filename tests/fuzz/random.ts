/**
 * A seeded pseudo-random source (mulberry32), so a fuzz run can be replayed
 * from its seed.
 *
 * @module
 */

/** A seeded pseudo-random source with the helpers the generators need. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = (seed >>> 0) || 0x9e3779b9;
  }

  /** A float in `[0, 1)`. */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in `[min, max]`. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** One item, chosen with the given relative weights. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    const total = entries.reduce((sum, [w]) => sum + w, 0);
    let at = this.next() * total;
    for (const [weight, value] of entries) {
      at -= weight;
      if (at < 0) return value;
    }
    return entries[entries.length - 1]![1];
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A string of `n` characters drawn from the code range `[from, to]`. */
  chars(n: number, from = 0x20, to = 0x7e): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(from, to));
    return s;
  }
}
