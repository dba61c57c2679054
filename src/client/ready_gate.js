// @ts-self-types="../client/ready_gate.d.ts"
/**
 * The `ready` promise of a room connection: it resolves once everything up to
 * the room's last `seq` (asked over REST once the socket is open) has been
 * delivered, and rejects when the connection ends first.
 *
 * @module
 */

/** The `ready` promise of one room connection. */
export class ReadyGate {
  /** @type {() => Promise<number>} */
  #lastSeq;
  /** @type {() => number | undefined} */
  #position;
  /** @type {Promise<void> | undefined} */
  #promise;
  /** @type {{ resolve: () => void, reject: (error: Error) => void } | undefined} */
  #settle;
  /** The room's last seq when `ready` was first asked for. @type {number | undefined} */
  #target;
  #asking = false;
  #open = false;
  /** @type {Error | undefined} */
  #ended;

  /**
   * @param {object} init
   * @param {() => Promise<number>} init.lastSeq the room's last `seq` (from `GET /rooms/:room`)
   * @param {() => number | undefined} init.position the last `seq` delivered
   */
  constructor(init) {
    this.#lastSeq = init.lastSeq;
    this.#position = init.position;
  }

  /**
   * The promise, made on first use.
   *
   * @returns {Promise<void>}
   */
  get promise() {
    if (this.#promise) return this.#promise;
    this.#promise = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
    if (this.#ended) this.ended(this.#ended);
    else if (this.#open) this.#ask();
    return this.#promise;
  }

  /**
   * The socket opened: learn the target if `ready` is awaited.
   *
   * @returns {void}
   */
  opened() {
    this.#open = true;
    if (this.#settle) this.#ask();
  }

  /**
   * Something was delivered: resolve once the target is reached.
   *
   * @returns {void}
   */
  progressed() {
    const target = this.#target;
    if (!this.#settle || target === undefined || this.#ended) return;
    if ((this.#position() ?? 0) < target) return;
    this.#settle.resolve();
    this.#settle = undefined;
  }

  /**
   * The connection ended for good: reject with why.
   *
   * @param {Error} error
   * @returns {void}
   */
  ended(error) {
    this.#ended = error;
    this.#settle?.reject(error);
    this.#settle = undefined;
  }

  /** Learns the seq to wait for; a failed ask is repeated on the next open. */
  #ask() {
    if (this.#target !== undefined || this.#asking) return;
    this.#asking = true;
    this.#lastSeq().then(
      (seq) => {
        this.#target = seq;
        this.progressed();
      },
      () => {},
    ).finally(() => (this.#asking = false));
  }
}
