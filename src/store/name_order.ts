/**
 * Room names compared the way every backend orders them: by their UTF-8
 * bytes (SQLite's `BINARY` collation, Deno KV keys, Redis members).
 *
 * @module
 */

const encoder = new TextEncoder();

/** Negative, zero or positive as `a` sorts before, with or after `b` by UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Most recently active first, ties by name descending: the directory's order. */
export function byActivity(
  a: { activeAtMs: number; name: string },
  b: { activeAtMs: number; name: string },
): number {
  return b.activeAtMs - a.activeAtMs || compareNames(b.name, a.name);
}
