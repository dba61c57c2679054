/**
 * "Load older messages": the page of history just before the oldest message
 * shown, put above it without moving what the reader is looking at.
 *
 * @module
 */
import { HISTORY_ON_JOIN } from "../contract/mod.js";
import { describeError } from "../web/describe.js";

/**
 * @import { ChatClient } from "../client/chat_client.js"
 * @import { MessageLog } from "../web/message_log.js"
 */

/**
 * Wires the "Load older messages" button.
 *
 * @param {object} deps
 * @param {ChatClient} deps.client
 * @param {typeof import("../web/elements.js").ui} deps.ui
 * @param {MessageLog} deps.log
 * @param {() => string | undefined} deps.room the open room
 * @param {(text: string | undefined) => void} deps.report an error to show, or `undefined` to clear it
 * @returns {void}
 */
export function wireOlderHistory(deps) {
  const { client, ui, log } = deps;
  let loading = false;
  ui.loadOlder.addEventListener("click", async () => {
    const room = deps.room();
    const oldest = log.oldestSeq;
    if (!room || oldest === undefined || loading) return;
    loading = true;
    ui.loadOlder.disabled = true;
    try {
      // A page as long as a join's history.
      const page = await client.history(room, { before: oldest, limit: HISTORY_ON_JOIN });
      if (deps.room() !== room) return;
      const anchor = ui.messages.scrollHeight - ui.messages.scrollTop;
      for (const message of page.messages) log.render(message);
      ui.messages.scrollTop = ui.messages.scrollHeight - anchor;
      ui.loadOlder.hidden = !page.hasMore;
      deps.report(undefined);
    } catch (error) {
      deps.report(`Cannot load older messages. ${describeError(error)}`);
    } finally {
      loading = false;
      ui.loadOlder.disabled = false;
    }
  });
}
