/**
 * The `ready` promise of a room connection: it resolves once everything up to
 * the room's last `seq` (asked over REST once the socket is open) has been
 * delivered, and rejects when the connection ends first.
 *
 * @module
 */
/** The `ready` promise of one room connection. */
export class ReadyGate {
  /**
   * @param {object} init
   * @param {() => Promise<number>} init.lastSeq the room's last `seq` (from `GET /rooms/:room`)
   * @param {() => number | undefined} init.position the last `seq` delivered
   */
  constructor(init: {
    lastSeq: () => Promise<number>;
    position: () => number | undefined;
  });
  /**
   * The promise, made on first use.
   *
   * @returns {Promise<void>}
   */
  get promise(): Promise<void>;
  /**
   * The socket opened: learn the target if `ready` is awaited.
   *
   * @returns {void}
   */
  opened(): void;
  /**
   * Something was delivered: resolve once the target is reached.
   *
   * @returns {void}
   */
  progressed(): void;
  /**
   * The connection ended for good: reject with why.
   *
   * @param {Error} error
   * @returns {void}
   */
  ended(error: Error): void;
  #private;
}
