/**
 * The list items of the message log: a delivered message, a message being
 * sent, and where in the log a message goes. User text is set as
 * `textContent`, never as HTML.
 *
 * @module
 */

/** @import { ChatMessage } from "../contract/mod.js" */

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
 * The item of a delivered message.
 *
 * @param {ChatMessage} message
 * @param {boolean} mine whether the signed-in user sent it
 * @returns {HTMLLIElement}
 */
export function messageItem(message, mine) {
  const item = document.createElement("li");
  item.setAttribute("data-seq", String(message.seq));
  if (mine) item.classList.add("mine");
  const meta = document.createElement("div");
  meta.className = "meta";
  const sender = document.createElement("span");
  sender.className = "sender";
  sender.textContent = message.sender.username;
  const time = document.createElement("time");
  time.dateTime = message.createdAt;
  const at = new Date(message.createdAt);
  time.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  time.title = at.toLocaleString();
  meta.append(sender, time);
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = message.text;
  item.append(meta, text);
  return item;
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
