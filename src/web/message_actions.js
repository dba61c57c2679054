/**
 * The Edit and Delete buttons of a message, with their inline forms: editing
 * in place (Enter saves, Escape cancels, an error shown under the text with
 * the edit kept) and a delete that asks first.
 *
 * @module
 */
import { textProblem } from "../client/chat_client.js";
import { describeError } from "../web/describe.js";

/**
 * What a message's actions may do.
 * @typedef {object} MessageActions
 * @property {(() => string) | undefined} text the message's current text; `undefined` when it
 *   may not be edited
 * @property {(text: string) => Promise<unknown>} edit
 * @property {(() => Promise<unknown>) | undefined} remove `undefined` when it may not be deleted
 */

/**
 * A button of the meta line.
 *
 * @param {string} label
 * @param {string} [className]
 * @returns {HTMLButtonElement}
 */
function smallButton(label, className = "secondary") {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = label;
  return button;
}

/**
 * The inline error of a message, made on first use.
 *
 * @param {HTMLElement} parent
 * @returns {HTMLParagraphElement}
 */
function inlineError(parent) {
  const existing = parent.querySelector(":scope > .inline-error");
  if (existing instanceof HTMLParagraphElement) return existing;
  const error = document.createElement("p");
  error.className = "inline-error";
  error.setAttribute("role", "alert");
  parent.append(error);
  return error;
}

/**
 * Opens the editor of a message in place of its text.
 *
 * @param {HTMLLIElement} item
 * @param {HTMLButtonElement} opener focused again when the editor closes
 * @param {MessageActions} actions
 */
function openEditor(item, opener, actions) {
  const text = item.querySelector(".text");
  if (!(text instanceof HTMLElement) || item.querySelector("form.edit-form")) return;
  const form = document.createElement("form");
  form.className = "edit-form";
  const input = document.createElement("textarea");
  input.setAttribute("aria-label", "Edit message");
  input.rows = 2;
  input.value = actions.text?.() ?? "";
  const save = smallButton("Save", "");
  save.type = "submit";
  const cancel = smallButton("Cancel");
  const error = document.createElement("p");
  error.className = "inline-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  form.append(input, save, cancel, error);
  text.hidden = true;
  text.after(form);
  input.focus();

  const close = () => {
    form.remove();
    text.hidden = false;
    if (opener.isConnected) opener.focus();
  };
  /** @param {string} message */
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    input.focus();
  };
  cancel.addEventListener("click", close);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value;
    const problem = textProblem(value);
    if (problem) return fail(`${problem}.`);
    save.disabled = true;
    actions.edit(value).then(close, (reason) => fail(`Not saved: ${describeError(reason)}`))
      .finally(() => (save.disabled = false));
  });
}

/**
 * Asks before deleting a message, in its actions slot.
 *
 * @param {HTMLLIElement} item
 * @param {HTMLElement} slot
 * @param {HTMLButtonElement[]} buttons the slot's usual buttons, put back on "Keep"
 * @param {() => Promise<unknown>} remove
 */
function confirmDelete(item, slot, buttons, remove) {
  const question = document.createElement("span");
  question.textContent = "Delete this message?";
  const yes = smallButton("Delete", "danger");
  const keep = smallButton("Keep");
  slot.replaceChildren(question, yes, keep);
  yes.focus();
  const restore = () => {
    slot.replaceChildren(...buttons);
    buttons.at(-1)?.focus();
  };
  keep.addEventListener("click", restore);
  for (const button of [yes, keep]) {
    button.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      restore();
    });
  }
  yes.addEventListener("click", () => {
    yes.disabled = true;
    remove().catch((reason) => {
      if (!item.isConnected || item.classList.contains("deleted")) return;
      restore();
      const error = inlineError(item);
      error.textContent = `Not deleted: ${describeError(reason)}`;
    });
  });
}

/**
 * Adds the Edit (own messages) and Delete (own, or any for a moderator)
 * buttons to a message's actions slot.
 *
 * @param {HTMLLIElement} item
 * @param {MessageActions} actions
 * @returns {void}
 */
export function addMessageActions(item, actions) {
  const slot = item.querySelector(".actions");
  if (!(slot instanceof HTMLElement)) return;
  /** @type {HTMLButtonElement[]} */
  const buttons = [];
  if (actions.text) {
    const edit = smallButton("Edit");
    edit.addEventListener("click", () => openEditor(item, edit, actions));
    buttons.push(edit);
  }
  const remove = actions.remove;
  if (remove) {
    const del = smallButton("Delete");
    del.addEventListener("click", () => confirmDelete(item, slot, buttons, remove));
    buttons.push(del);
  }
  slot.replaceChildren(...buttons);
}
