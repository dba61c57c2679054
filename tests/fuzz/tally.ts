/**
 * Counts what a fuzz run saw: inputs, outcomes per kind and failures with a
 * few samples each.
 *
 * @module
 */

/** A failure kind with its count and first samples. */
export interface FailureGroup {
  readonly kind: string;
  count: number;
  readonly samples: string[];
}

/** The most samples kept per failure kind. */
export const MAX_SAMPLES = 5;

/** Outcome counts and failures of one run. */
export class Tally {
  /** Inputs sent: HTTP requests, handshakes and frames. */
  inputs = 0;
  readonly outcomes = new Map<string, number>();
  readonly failures = new Map<string, FailureGroup>();
  readonly warnings = new Map<string, FailureGroup>();

  /** Counts one outcome, e.g. `http 400` or `ws close 1007`. */
  outcome(key: string, n = 1): void {
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + n);
  }

  /** Records a failure of `kind` with a sample describing the input and what came back. */
  fail(kind: string, sample: string): void {
    let group = this.failures.get(kind);
    if (!group) {
      group = { kind, count: 0, samples: [] };
      this.failures.set(kind, group);
    }
    group.count++;
    if (group.samples.length < MAX_SAMPLES) group.samples.push(sample.slice(0, 1500));
  }

  /** Records something worth reporting that is not a failure (e.g. lenient parsing by Deno). */
  warn(kind: string, sample: string): void {
    let group = this.warnings.get(kind);
    if (!group) {
      group = { kind, count: 0, samples: [] };
      this.warnings.set(kind, group);
    }
    group.count++;
    if (group.samples.length < MAX_SAMPLES) group.samples.push(sample.slice(0, 1500));
  }

  /** The number of failures of every kind. */
  get failureCount(): number {
    let n = 0;
    for (const group of this.failures.values()) n += group.count;
    return n;
  }
}

/** Shows bytes as a string with non-printable bytes escaped, cut at `max` bytes. */
export function showBytes(bytes: Uint8Array, max = 240): string {
  let s = "";
  const end = Math.min(bytes.byteLength, max);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, end));
  const valid = !text.includes("\ufffd");
  if (valid) s = JSON.stringify(text);
  else {
    for (let i = 0; i < end; i++) {
      const b = bytes[i]!;
      s += b >= 0x20 && b < 0x7f && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, "0")}`;
    }
    s = `b"${s}"`;
  }
  return bytes.byteLength > max ? `${s}… (${bytes.byteLength} bytes)` : s;
}

/** Shows a string briefly, escaped, cut at `max` characters. */
export function showText(text: string, max = 240): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  return JSON.stringify(cut) + (text.length > max ? `… (${text.length} chars)` : "");
}
