/**
 * Client-side recovery by `seq`: the messages of one room are delivered once
 * each and in order across reconnects. Anything at or below the last `seq`
 * delivered is dropped (a resume's overlap); a message past a gap (more than a
 * resume sends, or a server that skipped one) is held while the gap is filled
 * from the REST history.
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
/** Puts one room's messages in `seq` order, once each, filling gaps from the history. */
export class SeqRecovery {
  /**
   * @param {object} init
   * @param {number | undefined} init.since The `seq` already seen, if any.
   * @param {(before: number, limit: number) => Promise<HistoryPage>} init.history A page of
   *   the room's history before a `seq`, oldest first.
   * @param {(message: ChatMessage) => void} init.deliver Called once per message, in order.
   * @param {() => boolean} init.stopped True once nothing more should be delivered.
   */
  constructor(init: {
    since: number | undefined;
    history: (before: number, limit: number) => Promise<HistoryPage>;
    deliver: (message: ChatMessage) => void;
    stopped: () => boolean;
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
   * Takes the values of one server frame.
   *
   * @param {unknown[]} values
   * @returns {void}
   */
  receive(values: unknown[]): void;
  #private;
}
import type { ChatMessage } from "../contract/mod.js";
import type { HistoryPage } from "../contract/mod.js";
