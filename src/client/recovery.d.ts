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
/**
 * Whether a value from the socket looks like a message (the server's, so the
 * check is only for what the client relies on).
 *
 * @param {unknown} value
 * @returns {value is ChatMessage}
 */
export function isMessage(value: unknown): value is ChatMessage;
/**
 * Puts one room's messages (or logged events) in `seq` order, once each,
 * filling v1 gaps from the history.
 */
export class SeqRecovery {
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
  constructor(init: {
    since: number | undefined;
    history: (before: number, limit: number) => Promise<HistoryPage>;
    deliver: (value: Sequenced) => void;
    stopped: () => boolean;
    fillGaps?: boolean | undefined;
  });
  /** The highest `seq` delivered (or given as `since`). @type {number | undefined} */
  lastSeq: number | undefined;
  /**
   * The `since` to resume with after the connection dropped. A connection that
   * joined a room showing nothing yet (it was empty) resumes from its start,
   * or the next plain join would skip what came in meanwhile.
   *
   * @returns {number}
   */
  resumePoint(): number;
  /**
   * Takes the values of one server frame: v1 messages, or (with `fillGaps`
   * off) the logged events of a v2 frame, already checked.
   *
   * @param {unknown[]} values
   * @returns {void}
   */
  receive(values: unknown[]): void;
  #private;
}
/**
 * What recovery orders: a v1 message or a v2 logged event.
 */
export type Sequenced = ChatMessage | LoggedEvent;
import type { ChatMessage } from "../contract/mod.js";
import type { HistoryPage } from "../contract/mod.js";
import type { LoggedEvent } from "../contract/mod.js";
