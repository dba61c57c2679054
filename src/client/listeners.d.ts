/**
 * A small typed event emitter: listeners by event name, added and removed
 * while events are emitted, each called in its own `try` so that one failing
 * listener does not stop the others (its error goes to `reportError`).
 *
 * @module
 */
/**
 * Listeners of the events of `M`, an event name → payload map.
 * @template {object} M
 */
export class Listeners<M extends object> {
  /**
   * Adds a listener; adding the same function twice has no effect.
   *
   * @template {keyof M} K
   * @param {K} type
   * @param {(value: M[K]) => void} listener
   * @returns {() => void} removes the listener
   */
  on<K extends keyof M>(type: K, listener: (value: M[K]) => void): () => void;
  /**
   * Removes a listener added with {@linkcode Listeners.on}.
   *
   * @template {keyof M} K
   * @param {K} type
   * @param {(value: M[K]) => void} listener
   * @returns {void}
   */
  off<K extends keyof M>(type: K, listener: (value: M[K]) => void): void;
  /**
   * Calls every listener of `type` with `value`, in the order they were added.
   *
   * @template {keyof M} K
   * @param {K} type
   * @param {M[K]} value
   * @returns {void}
   */
  emit<K extends keyof M>(type: K, value: M[K]): void;
  /** Removes every listener. @returns {void} */
  clear(): void;
  #private;
}
