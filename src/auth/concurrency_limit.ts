/**
 * Runs at most `limit` tasks at once; the rest wait in order. Used to keep
 * PBKDF2 hashing from taking every core while sockets need the CPU.
 *
 * @module
 */

/** Returns a runner that admits at most `limit` concurrent tasks. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished task hands its slot straight to the next waiter, so a caller
  // arriving before that waiter resumes cannot take the slot as well.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
