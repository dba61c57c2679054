/**
 * "X is typing…" from the v2 `typing` events: a typist is shown until a bit
 * more than the contract's typing interval passes without another event, or
 * until their message arrives.
 *
 * @module
 */
import { TYPING_INTERVAL_MS } from "../contract/mod.js";

/** @import { PublicUser } from "../contract/mod.js" */

/** How long a typist stays shown after their last `typing` event. */
const SHOWN_MS = TYPING_INTERVAL_MS + 1500;

/**
 * The sentence for who is typing.
 *
 * @param {string[]} names
 * @returns {string}
 */
export function typingSentence(names) {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** Who is typing in the open room. */
export class TypingIndicator {
  /** @type {HTMLElement} */
  #line;
  /** @type {Map<number, { name: string, timer: ReturnType<typeof setTimeout> }>} */
  #typists = new Map();

  /** @param {HTMLElement} line where the sentence goes */
  constructor(line) {
    this.#line = line;
  }

  /** @param {PublicUser} user someone is typing @returns {void} */
  typing(user) {
    const current = this.#typists.get(user.id);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.stopped(user.id), SHOWN_MS);
    this.#typists.set(user.id, { name: user.username, timer });
    this.#render();
  }

  /** @param {number} userId they sent their message, or left @returns {void} */
  stopped(userId) {
    const current = this.#typists.get(userId);
    if (!current) return;
    clearTimeout(current.timer);
    this.#typists.delete(userId);
    this.#render();
  }

  /** Forgets everyone (another room). @returns {void} */
  clear() {
    for (const { timer } of this.#typists.values()) clearTimeout(timer);
    this.#typists.clear();
    this.#render();
  }

  #render() {
    this.#line.textContent = typingSentence([...this.#typists.values()].map((t) => t.name));
  }
}
