/**
 * The list items of the message log: a delivered message (edited or deleted
 * later), a message being sent, the "new messages" divider, and where in the
 * log a message goes. User text is set as `textContent`, never as HTML.
 *
 * @module
 */

/**
 * @import { DeleteEvent, EditEvent } from "../contract/mod.js"
 * @import { RoomMessage } from "../client/chat_client.js"
 */

/**
 * The rendered message that a message with this seq goes before, or `null` to append.
 *
 * @param {HTMLOListElement} list
 * @param {number} seq
 * @param {number | undefined} newestSeq the highest seq rendered
 * @returns {Element | null}
 */
export function insertionPoint(list, seq, newestSeq) {
  if (newestSeq === undefined || seq > newestSeq) return null;
  for (const child of list.children) {
    const raw = child.getAttribute("data-seq");
    if (raw !== null && Number(raw) > seq) return child;
  }
  return null;
}

/**
 * A `<time>` showing hours and minutes, with the full date as its title.
 *
 * @param {string} iso
 * @returns {HTMLTimeElement}
 */
function timeOf(iso) {
  const time = document.createElement("time");
  time.dateTime = iso;
  const at = new Date(iso);
  time.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  time.title = at.toLocaleString();
  return time;
}

/**
 * The item of a delivered message: its meta line (sender, time, "edited", an
 * actions slot) and its text.
 *
 * @param {RoomMessage} message
 * @param {{ mine: boolean, sender: HTMLElement }} options `sender`: the element
 *   naming the sender (a plain name, or a button opening the member menu)
 * @returns {HTMLLIElement}
 */
export function messageItem(message, options) {
  const item = document.createElement("li");
  item.setAttribute("data-seq", String(message.seq));
  if (options.mine) item.classList.add("mine");
  const meta = document.createElement("div");
  meta.className = "meta";
  options.sender.classList.add("sender");
  const edited = document.createElement("span");
  edited.className = "edited";
  edited.textContent = "(edited)";
  edited.hidden = message.editedAt === undefined;
  if (message.editedAt) edited.title = new Date(message.editedAt).toLocaleString();
  const actions = document.createElement("span");
  actions.className = "actions";
  meta.append(options.sender, timeOf(message.createdAt), edited, actions);
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = message.text;
  item.append(meta, text);
  return item;
}

/**
 * Shows a message's new text and marks it edited.
 *
 * @param {HTMLLIElement} item
 * @param {EditEvent} edit
 * @returns {void}
 */
export function showEdit(item, edit) {
  const text = item.querySelector(".text");
  if (text) text.textContent = edit.text;
  const edited = item.querySelector(".edited");
  if (edited instanceof HTMLElement) {
    edited.hidden = false;
    edited.title = new Date(edit.editedAt).toLocaleString();
  }
}

/**
 * Turns a message into the note that it was deleted (and by whom, when not
 * its author); its text and actions go.
 *
 * @param {HTMLLIElement} item
 * @param {DeleteEvent} deletion
 * @param {string} author
 * @returns {void}
 */
export function showDeleted(item, deletion, author) {
  item.classList.add("deleted");
  item.querySelector(".actions")?.replaceChildren();
  item.querySelector(".edited")?.remove();
  item.querySelector("form")?.remove();
  const text = item.querySelector(".text") ?? item.appendChild(document.createElement("p"));
  text.className = "text";
  text.textContent = deletion.by.username === author
    ? "Message deleted."
    : `Message deleted by ${deletion.by.username}.`;
}

/**
 * The item of a message being sent, with its label (`Sending…`, later why it failed).
 *
 * @param {string} text
 * @returns {{ item: HTMLLIElement, meta: HTMLDivElement, label: HTMLSpanElement }}
 */
export function pendingItem(text) {
  const item = document.createElement("li");
  item.className = "pending mine";
  const meta = document.createElement("div");
  meta.className = "meta";
  const label = document.createElement("span");
  label.textContent = "Sending…";
  meta.append(label);
  const body = document.createElement("p");
  body.className = "text";
  body.textContent = text;
  item.append(meta, body);
  return { item, meta, label };
}

/**
 * The divider above the first message not read yet.
 *
 * @returns {HTMLLIElement}
 */
export function unreadDivider() {
  const item = document.createElement("li");
  item.className = "unread-divider";
  item.id = "unread-divider";
  item.textContent = "New messages";
  return item;
}
