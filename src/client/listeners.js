// @ts-self-types="../client/listeners.d.ts"
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
export class Listeners {
  /** @type {Map<keyof M, Set<(value: any) => void>>} */
  #byType = new Map();

  /**
   * Adds a listener; adding the same function twice has no effect.
   *
   * @template {keyof M} K
   * @param {K} type
   * @param {(value: M[K]) => void} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    let set = this.#byType.get(type);
    if (!set) this.#byType.set(type, set = new Set());
    set.add(listener);
    return () => this.off(type, listener);
  }

  /**
   * Removes a listener added with {@linkcode Listeners.on}.
   *
   * @template {keyof M} K
   * @param {K} type
   * @param {(value: M[K]) => void} listener
   * @returns {void}
   */
  off(type, listener) {
    this.#byType.get(type)?.delete(listener);
  }

  /**
   * Calls every listener of `type` with `value`, in the order they were added.
   *
   * @template {keyof M} K
   * @param {K} type
   * @param {M[K]} value
   * @returns {void}
   */
  emit(type, value) {
    const set = this.#byType.get(type);
    if (!set) return;
    // As EventTarget does: listeners added meanwhile wait for the next event, removed ones
    // are not called.
    for (const listener of [...set]) {
      if (!set.has(listener)) continue;
      try {
        listener(value);
      } catch (error) {
        globalThis.reportError(error);
      }
    }
  }

  /** Removes every listener. @returns {void} */
  clear() {
    this.#byType.clear();
  }
}
