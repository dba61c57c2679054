/**
 * Who is in the room now, kept live from the v2 socket's events: the
 * `presence` snapshot sent on every (re)join, then `join` and `leave`. No
 * polling. Each name opens its member menu.
 *
 * @module
 */
import { memberMenu } from "../web/member_menu.js";

/**
 * @import { JoinEvent, LeaveEvent, PresenceEvent, PublicUser } from "../contract/mod.js"
 * @import { MemberCommands } from "../web/member_menu.js"
 */

/** The online list of the open room. */
export class OnlineList {
  /** @type {HTMLUListElement} */
  #list;
  /** @type {HTMLParagraphElement} */
  #anonymousLine;
  /** @type {HTMLParagraphElement} */
  #status;
  /** @type {MemberCommands} */
  #commands;
  /** @type {Map<number, PublicUser>} */
  #users = new Map();
  /** Each user's item, kept across renders so an open menu stays open. @type {Map<number, HTMLLIElement>} */
  #items = new Map();
  #anonymous = 0;
  #known = false;

  /**
   * @param {{ list: HTMLUListElement, anonymous: HTMLParagraphElement, status: HTMLParagraphElement }} elements
   *   the list, the line counting anonymous readers, and where the menus' actions report
   * @param {MemberCommands} commands
   */
  constructor(elements, commands) {
    this.#list = elements.list;
    this.#anonymousLine = elements.anonymous;
    this.#status = elements.status;
    this.#commands = commands;
  }

  /**
   * Says how a menu's action went; it stays when the name leaves the list.
   *
   * @param {string} text
   * @param {boolean} failed
   */
  #report(text, failed) {
    this.#status.textContent = text;
    this.#status.classList.toggle("failed", failed);
  }

  /** The users online now. @returns {PublicUser[]} */
  get users() {
    return [...this.#users.values()];
  }

  /** Empties the list (another room, or left). @returns {void} */
  clear() {
    this.#users.clear();
    this.#items.clear();
    this.#anonymous = 0;
    this.#known = false;
    this.#list.replaceChildren();
    this.#anonymousLine.textContent = "";
    this.#status.textContent = "";
  }

  /** @param {PresenceEvent} event @returns {void} */
  presence(event) {
    this.#users = new Map(event.users.map((user) => [user.id, user]));
    this.#anonymous = event.anonymous;
    this.#known = true;
    this.#render();
  }

  /** @param {JoinEvent} event @returns {void} */
  join(event) {
    this.#users.set(event.user.id, event.user);
    this.#render();
  }

  /** @param {LeaveEvent} event @returns {void} */
  leave(event) {
    this.#users.delete(event.user.id);
    this.#render();
  }

  #render() {
    const me = this.#commands.context().me;
    const sorted = this.users.sort((a, b) => a.username.localeCompare(b.username));
    for (const id of this.#items.keys()) if (!this.#users.has(id)) this.#items.delete(id);
    const wanted = sorted.map((user) => {
      let item = this.#items.get(user.id);
      if (!item) {
        item = document.createElement("li");
        const label = user.id === me ? `${user.username} (you)` : user.username;
        item.append(
          memberMenu(user, label, this.#commands, (text, failed) => this.#report(text, failed)),
        );
        this.#items.set(user.id, item);
      }
      return item;
    });
    // Moves only what is out of place, so the focus stays on a name that stays.
    wanted.forEach((item, i) => {
      const at = this.#list.children[i];
      if (at !== item) this.#list.insertBefore(item, at ?? null);
    });
    const focusLost = this.#list.contains(document.activeElement) &&
      !wanted.some((item) => item.contains(document.activeElement));
    while (this.#list.children.length > wanted.length) this.#list.lastElementChild?.remove();
    // The focused name left (a ban, a leave): the focus goes to what the action said.
    if (focusLost) this.#status.focus();
    const anonymous = this.#anonymous;
    this.#anonymousLine.textContent = anonymous === 0
      ? ""
      : `${anonymous} anonymous reader${anonymous === 1 ? "" : "s"}`;
    if (this.#known && sorted.length === 0 && anonymous === 0) {
      this.#anonymousLine.textContent = "Nobody yet.";
    }
  }
}
