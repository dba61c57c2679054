/**
 * The message log of the open room: each message once, in `seq` order (older
 * pages above, messages being sent below), edits and deletes applied as their
 * events arrive (also those replayed on a resume), the actions each message
 * allows, and the "New messages" divider.
 *
 * @module
 */
import { addMessageActions } from "../web/message_actions.js";
import {
  insertionPoint,
  messageItem,
  showDeleted,
  showEdit,
  unreadDivider,
} from "../web/message_items.js";

/**
 * @import { DeleteEvent, EditEvent } from "../contract/mod.js"
 * @import { RoomMessage } from "../client/chat_client.js"
 */

/**
 * What the log needs from the page.
 * @typedef {object} MessageLogDeps
 * @property {() => number | undefined} me the signed-in user's id
 * @property {() => boolean} canEdit whether the connection can edit and delete (v2, signed in)
 * @property {() => boolean} moderator whether the user may delete anyone's message here
 * @property {(seq: number, text: string) => Promise<unknown>} edit
 * @property {(seq: number) => Promise<unknown>} remove
 */

/** The messages of the open room, as shown. */
export class MessageLog {
  /** @type {HTMLOListElement} */
  #list;
  /** @type {MessageLogDeps} */
  #deps;
  /** @type {Map<number, { message: RoomMessage, item: HTMLLIElement, deleted: boolean }>} */
  #shown = new Map();
  /** @type {number | undefined} */
  #oldest;
  /** @type {number | undefined} */
  #newest;

  /**
   * @param {HTMLOListElement} list
   * @param {MessageLogDeps} deps
   */
  constructor(list, deps) {
    this.#list = list;
    this.#deps = deps;
  }

  /** The lowest seq shown. @returns {number | undefined} */
  get oldestSeq() {
    return this.#oldest;
  }

  /** The highest seq shown. @returns {number | undefined} */
  get newestSeq() {
    return this.#newest;
  }

  /** Whether the log is scrolled to (nearly) its end. @returns {boolean} */
  nearBottom() {
    const list = this.#list;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  /** Scrolls to the end. @returns {void} */
  scrollToEnd() {
    this.#list.scrollTop = this.#list.scrollHeight;
  }

  /** Empties the log (another room). @returns {void} */
  clear() {
    this.#shown.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#list.replaceChildren();
  }

  /**
   * Shows one message, once, in seq order.
   *
   * @param {RoomMessage} message
   * @returns {boolean} whether it was new
   */
  render(message) {
    if (this.#shown.has(message.seq)) return false;
    const stick = this.nearBottom();
    const sender = document.createElement("span");
    sender.textContent = message.sender.username;
    const item = messageItem(message, { mine: this.#deps.me() === message.sender.id, sender });
    const before = insertionPoint(this.#list, message.seq, this.#newest);
    // New messages go above pending sends, which stay at the bottom.
    this.#list.insertBefore(item, before ?? this.#list.querySelector("li.pending"));
    this.#shown.set(message.seq, { message, item, deleted: false });
    this.#actions(message.seq);
    if (this.#oldest === undefined || message.seq < this.#oldest) this.#oldest = message.seq;
    if (this.#newest === undefined || message.seq > this.#newest) this.#newest = message.seq;
    if (stick && !before) this.scrollToEnd();
    return true;
  }

  /**
   * Applies an edit to the message it targets, when shown.
   *
   * @param {EditEvent} edit
   * @returns {void}
   */
  edit(edit) {
    const entry = this.#shown.get(edit.target);
    if (!entry || entry.deleted) return;
    entry.message = { ...entry.message, text: edit.text, editedAt: edit.editedAt };
    showEdit(entry.item, edit);
  }

  /**
   * Applies a delete to the message it targets, when shown.
   *
   * @param {DeleteEvent} deletion
   * @returns {void}
   */
  remove(deletion) {
    const entry = this.#shown.get(deletion.target);
    if (!entry || entry.deleted) return;
    entry.deleted = true;
    // Its buttons go: a focus inside moves to the log, so the keyboard stays in place.
    const hadFocus = entry.item.contains(document.activeElement);
    showDeleted(entry.item, deletion, entry.message.sender.username);
    if (hadFocus) this.#list.focus();
  }

  /** Gives every message the actions the user has now (after the role is known). @returns {void} */
  refreshActions() {
    for (const seq of this.#shown.keys()) this.#actions(seq);
  }

  /**
   * Puts the "New messages" divider above the first message that someone
   * else wrote after both `lastRead` and the user's own latest message
   * (posting counts as having read what came before, as the server counts
   * unread messages), and scrolls it into view.
   *
   * @param {number} lastRead
   * @returns {boolean} whether there was such a message
   */
  showDivider(lastRead) {
    this.clearDivider();
    const me = this.#deps.me();
    const shown = [...this.#shown.entries()].sort(([a], [b]) => a - b);
    const read = shown.reduce(
      (upTo, [seq, entry]) => entry.message.sender.id === me ? Math.max(upTo, seq) : upTo,
      lastRead,
    );
    const first = shown.find(([seq, entry]) => seq > read && entry.message.sender.id !== me);
    if (!first) return false;
    const divider = unreadDivider();
    first[1].item.before(divider);
    divider.scrollIntoView({ block: "start" });
    return true;
  }

  /** Removes the divider. @returns {void} */
  clearDivider() {
    this.#list.querySelector(".unread-divider")?.remove();
  }

  /** @param {number} seq */
  #actions(seq) {
    const entry = this.#shown.get(seq);
    if (!entry || entry.deleted || entry.item.querySelector("form.edit-form")) return;
    const deps = this.#deps;
    const usable = deps.canEdit();
    const mine = usable && deps.me() === entry.message.sender.id;
    addMessageActions(entry.item, {
      text: mine ? () => this.#shown.get(seq)?.message.text ?? "" : undefined,
      edit: (text) => deps.edit(seq, text),
      remove: usable && (mine || deps.moderator()) ? () => deps.remove(seq) : undefined,
    });
  }
}
