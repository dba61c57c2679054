/**
 * The message box: Enter sends, Shift+Enter starts a new line, typing tells
 * the room (throttled by the client module). A message shows "Sending…"
 * until the server confirms it; when the server refuses it, the error is
 * shown under the box and the text goes back into it, so no draft is lost.
 *
 * @module
 */
import { ReplyError, textProblem, TimeoutError } from "../client/chat_client.js";
import { composerState, describeError } from "../web/describe.js";
import { pendingItem } from "../web/message_items.js";

/** @import { RoomConnection } from "../client/chat_client.js" */

/** The composer of the page. */
export class Composer {
  /** @type {typeof import("../web/elements.js").ui} */
  #ui;
  /** @type {() => RoomConnection | undefined} */
  #connection;

  /**
   * @param {typeof import("../web/elements.js").ui} ui
   * @param {() => RoomConnection | undefined} connection the open room's connection
   */
  constructor(ui, connection) {
    this.#ui = ui;
    this.#connection = connection;
    ui.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    ui.message.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ui.composer.requestSubmit();
      } else if (event.key === "Escape") {
        this.clearError();
      }
    });
    ui.message.addEventListener("input", () => {
      if (ui.message.value.trim() !== "") this.#connection()?.typing();
    });
  }

  /** Enables the box for the connection's state and says why when not. @returns {void} */
  render() {
    const ui = this.#ui;
    const { enabled, hint } = composerState(this.#connection());
    ui.message.disabled = !enabled;
    ui.send.disabled = !enabled;
    ui.composerHint.textContent = hint;
  }

  /** @param {string} text shown under the box @returns {void} */
  showError(text) {
    this.#ui.composerError.textContent = text;
    this.#ui.composerError.hidden = false;
  }

  /** @returns {void} */
  clearError() {
    this.#ui.composerError.textContent = "";
    this.#ui.composerError.hidden = true;
  }

  #submit() {
    const ui = this.#ui;
    const text = ui.message.value;
    const problem = textProblem(text);
    if (problem) {
      this.showError(`${problem}.`);
      ui.message.focus();
      return;
    }
    this.clearError();
    ui.message.value = "";
    this.#send(text);
    ui.message.focus();
  }

  /**
   * Shows a message being sent until the server confirms it.
   *
   * @param {string} text
   */
  #send(text) {
    const connection = this.#connection();
    if (!connection) return;
    const ui = this.#ui;
    const { item, meta, label } = pendingItem(text);
    ui.messages.append(item);
    ui.messages.scrollTop = ui.messages.scrollHeight;
    connection.send(text).then(
      () => item.remove(),
      (error) => {
        const why = describeError(error);
        const refused = error instanceof ReplyError || error instanceof RangeError;
        // A refused message goes back into an empty box, to be changed or sent later.
        if (!(error instanceof TimeoutError) && ui.message.value === "") {
          item.remove();
          ui.message.value = text;
          this.showError(`Not sent: ${why}`);
          if (!ui.message.disabled) ui.message.focus();
          return;
        }
        item.classList.add("failed");
        label.textContent = `Not sent: ${why}`;
        if (refused) this.showError(`Not sent: ${why}`);
        if (this.#connection() !== connection || connection.state === "closed") return;
        const retry = document.createElement("button");
        retry.type = "button";
        retry.className = "secondary";
        retry.textContent = "Send again";
        retry.addEventListener("click", () => {
          item.remove();
          this.#send(text);
        });
        meta.append(retry);
      },
    );
  }
}
