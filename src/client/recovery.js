// @ts-self-types="../client/recovery.d.ts"
/**
 * Client-side recovery by `seq`: the messages (v1) or logged events (v2) of
 * one room are delivered once each and in order across reconnects. Anything
 * at or below the last `seq` delivered is dropped (a resume's overlap). In v1
 * a message past a gap (more than a resume sends, or a server that skipped
 * one) is held while the gap is filled from the REST history; in v2 gaps are
 * expected (a deleted message and its edits are not replayed, their `delete`
 * is) and events are delivered as they come.
 *
 * @module
 */
import { MAX_HISTORY_PAGE } from "../contract/mod.js";

/** @import { ChatMessage, HistoryPage, LoggedEvent } from "../contract/mod.js" */

/**
 * What recovery orders: a v1 message or a v2 logged event.
 * @typedef {ChatMessage | LoggedEvent} Sequenced
 */

/**
 * Whether a value from the socket looks like a message (the server's, so the
 * check is only for what the client relies on).
 *
 * @param {unknown} value
 * @returns {value is ChatMessage}
 */
export function isMessage(value) {
  if (typeof value !== "object" || value === null) return false;
  const m = /** @type {Record<string, unknown>} */ (value);
  return typeof m.seq === "number" && typeof m.text === "string" &&
    typeof m.sender === "object" && m.sender !== null;
}

/**
 * Puts one room's messages (or logged events) in `seq` order, once each,
 * filling v1 gaps from the history.
 */
export class SeqRecovery {
  /** @type {boolean} */
  #fillGaps;
  /** @type {(before: number, limit: number) => Promise<HistoryPage>} */
  #history;
  /** @type {(value: Sequenced) => void} */
  #deliver;
  /** @type {() => boolean} */
  #stopped;
  /** Messages that arrived after a gap, held while the gap is filled. @type {ChatMessage[] | undefined} */
  #held;

  /**
   * @param {object} init
   * @param {number | undefined} init.since The `seq` already seen, if any.
   * @param {(before: number, limit: number) => Promise<HistoryPage>} init.history A page of
   *   the room's history before a `seq`, oldest first.
   * @param {(value: Sequenced) => void} init.deliver Called once per message (or event), in order.
   * @param {() => boolean} init.stopped True once nothing more should be delivered.
   * @param {boolean} [init.fillGaps] Hold what follows a gap while it is filled
   *   from the history (v1, the default); `false` delivers v2 logged events as they come.
   */
  constructor(init) {
    this.#fillGaps = init.fillGaps ?? true;
    this.#history = init.history;
    this.#deliver = init.deliver;
    this.#stopped = init.stopped;
    /** The highest `seq` delivered (or given as `since`). @type {number | undefined} */
    this.lastSeq = init.since;
  }

  /**
   * The `since` to resume with after the connection dropped. A connection that
   * joined a room showing nothing yet (it was empty) resumes from its start,
   * or the next plain join would skip what came in meanwhile.
   *
   * @returns {number}
   */
  resumePoint() {
    if (this.lastSeq === undefined) this.lastSeq = 0;
    return this.lastSeq;
  }

  /**
   * Takes the values of one server frame: v1 messages, or (with `fillGaps`
   * off) the logged events of a v2 frame, already checked.
   *
   * @param {unknown[]} values
   * @returns {void}
   */
  receive(values) {
    for (const value of values) {
      if (!this.#fillGaps) {
        this.#accept(/** @type {Sequenced} */ (value));
        continue;
      }
      if (!isMessage(value)) continue;
      if (this.#held) {
        this.#held.push(value);
      } else if (this.lastSeq !== undefined && value.seq > this.lastSeq + 1) {
        this.#held = [value];
        void this.#fillGap(value.seq);
      } else {
        this.#accept(value);
      }
    }
  }

  /** @param {Sequenced} value */
  #accept(value) {
    if (this.lastSeq !== undefined && value.seq <= this.lastSeq) return;
    this.lastSeq = value.seq;
    this.#deliver(value);
  }

  /**
   * Reads the messages between `lastSeq` and `untilSeq` from the REST history,
   * delivers them, then the held ones. If the history cannot be read, the
   * held messages are delivered anyway rather than stalling the room.
   *
   * @param {number} untilSeq
   */
  async #fillGap(untilSeq) {
    const after = this.lastSeq ?? 0;
    /** @type {ChatMessage[]} */
    let found = [];
    let before = untilSeq;
    try {
      while (before - 1 > after && !this.#stopped()) {
        const page = await this.#history(before, MAX_HISTORY_PAGE);
        found = page.messages.concat(found);
        const first = page.messages[0];
        if (!first || !page.hasMore) break;
        before = first.seq;
      }
    } catch {
      // Deliver what arrived; the gap stays.
    }
    if (this.#stopped()) return;
    for (const message of found) this.#accept(message);
    const held = (this.#held ?? []).sort((a, b) => a.seq - b.seq);
    this.#held = undefined;
    // Whatever could not be filled is accepted, so a failing history cannot stall the room.
    const next = held[0];
    if (next && this.lastSeq !== undefined && next.seq > this.lastSeq + 1) {
      this.lastSeq = next.seq - 1;
    }
    this.receive(held);
  }
}
