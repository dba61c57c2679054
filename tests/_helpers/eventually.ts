/**
 * Test helper: polls a condition that becomes true asynchronously (presence is
 * written after a turn of the event loop), bounded in time.
 *
 * @module
 */

/**
 * Calls `probe` until it returns a value `accept` approves, every `intervalMs`,
 * for at most `timeoutMs`; returns that value or throws with the last one seen.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  let last: T;
  while (true) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() >= deadline) {
      throw new Error(`condition not met in time; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
