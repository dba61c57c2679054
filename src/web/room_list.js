/**
 * The room list: the caller's rooms with their unread counts (the server's
 * read state, so they agree across reloads and devices) and the public
 * directory, most recently active first. Each room is a link to `#<room>`.
 *
 * @module
 */
import { UNREAD_CAP } from "../contract/mod.js";
import { describeError } from "../web/describe.js";

/**
 * @import { ChatClient, DirectoryRoom, UserRoom } from "../client/chat_client.js"
 */

/**
 * The text of an unread badge: the server counts up to `UNREAD_CAP`, so at
 * the cap there may be more.
 *
 * @param {number} unread
 * @returns {string}
 */
export function unreadLabel(unread) {
  return unread >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : String(unread);
}

/**
 * The link of one room, with its unread badge.
 *
 * @param {{ name: string, title: string | null }} room
 * @param {string} label
 * @param {number} unread
 * @param {boolean} current
 * @returns {HTMLLIElement}
 */
function roomItem(room, label, unread, current) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = `#${encodeURIComponent(room.name)}`;
  link.className = "room-link";
  link.setAttribute("data-room", room.name);
  if (current) link.setAttribute("aria-current", "page");
  const name = document.createElement("span");
  name.className = "room-name";
  name.textContent = label;
  link.append(name);
  if (unread > 0) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = unreadLabel(unread);
    const spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = " unread";
    badge.append(spoken);
    link.append(badge);
  }
  item.append(link);
  return item;
}

/** The room list of the page. */
export class RoomList {
  /** @type {ChatClient} */
  #client;
  /** @type {typeof import("../web/elements.js").ui} */
  #ui;
  /** @type {Map<string, UserRoom>} */
  #mine = new Map();
  /** @type {DirectoryRoom[]} */
  #directory = [];
  /** @type {string | null} */
  #next = null;
  /** @type {string | undefined} */
  #current;
  /** The other person of each direct-message room, once looked up. @type {Map<string, string>} */
  #direct = new Map();

  /**
   * @param {ChatClient} client
   * @param {typeof import("../web/elements.js").ui} ui
   */
  constructor(client, ui) {
    this.#client = client;
    this.#ui = ui;
    ui.directoryMore.addEventListener("click", () => void this.#loadDirectory(true));
  }

  /**
   * The caller's role in a room, from the last refresh.
   *
   * @param {string} room
   * @returns {UserRoom["role"] | undefined}
   */
  role(room) {
    return this.#mine.get(room)?.role ?? undefined;
  }

  /**
   * The other person of a direct-message room of the caller, once known.
   *
   * @param {string} room
   * @returns {string | undefined}
   */
  directWith(room) {
    return this.#direct.get(room);
  }

  /**
   * Whether a room is private, as far as the list knows.
   *
   * @param {string} room
   * @returns {boolean}
   */
  isPrivate(room) {
    return this.#mine.get(room)?.visibility === "private";
  }

  /**
   * The opened room: highlighted, its badge cleared once read.
   *
   * @param {string | undefined} room
   * @returns {void}
   */
  setCurrent(room) {
    this.#current = room;
    this.#render();
  }

  /**
   * The open room is read up to `seq`: its badge goes.
   *
   * @param {string} room
   * @param {number} seq
   * @returns {void}
   */
  read(room, seq) {
    const entry = this.#mine.get(room);
    if (!entry || entry.lastRead >= seq) return;
    this.#mine.set(room, { ...entry, lastRead: seq, unread: 0 });
    this.#render();
  }

  /**
   * Reloads the caller's rooms and the first page of the directory.
   *
   * @returns {Promise<void>}
   */
  async refresh() {
    await Promise.all([this.#loadMine(), this.#loadDirectory(false)]);
  }

  /**
   * The caller's read position in a room, fresh from the server (0 when never read).
   *
   * @param {string} room
   * @returns {Promise<number>}
   */
  async lastRead(room) {
    if (!this.#client.token) return 0;
    await this.#loadMine();
    return this.#mine.get(room)?.lastRead ?? 0;
  }

  async #loadMine() {
    const ui = this.#ui;
    if (!this.#client.token) {
      this.#mine.clear();
      ui.myRoomsHint.textContent = "Log in to see your rooms and what you have not read.";
      return this.#render();
    }
    try {
      const rooms = await this.#client.myRooms();
      this.#mine = new Map(rooms.map((room) => [room.name, room]));
      await Promise.all(
        rooms.filter((r) => r.direct && !this.#direct.has(r.name)).map((r) =>
          this.#lookUpDirect(r.name)
        ),
      );
      ui.myRoomsHint.textContent = rooms.length === 0
        ? "None yet: join or create one, and it shows here."
        : "";
    } catch (error) {
      ui.myRoomsHint.textContent = `Cannot load your rooms. ${describeError(error)}`;
    }
    this.#render();
  }

  /**
   * Learns who else is in a direct-message room (its two members).
   *
   * @param {string} room
   */
  async #lookUpDirect(room) {
    try {
      const members = await this.#client.listMembers(room);
      const other = members.find((m) => m.user.id !== this.#client.user?.id) ?? members[0];
      if (other) this.#direct.set(room, other.user.username);
    } catch {
      // The room shows by its name.
    }
  }

  /**
   * The name a room is listed by.
   *
   * @param {{ name: string, title: string | null }} room
   * @returns {string}
   */
  #label(room) {
    const other = this.#direct.get(room.name);
    if (other) return `Direct: ${other}`;
    return room.title ? `${room.title} (${room.name})` : room.name;
  }

  /** @param {boolean} more the next page rather than the first */
  async #loadDirectory(more) {
    const ui = this.#ui;
    try {
      const page = await this.#client.listRooms(
        more && this.#next ? { cursor: this.#next } : {},
      );
      this.#directory = more ? this.#directory.concat(page.rooms) : page.rooms;
      this.#next = page.next;
      ui.directoryHint.textContent = this.#directory.length === 0 ? "No public rooms yet." : "";
    } catch (error) {
      ui.directoryHint.textContent = `Cannot load the rooms. ${describeError(error)}`;
    }
    this.#render();
  }

  #render() {
    const ui = this.#ui;
    const current = this.#current;
    const mine = [...this.#mine.values()];
    ui.myRooms.replaceChildren(
      ...mine.map((room) =>
        roomItem(
          room,
          this.#label(room),
          room.name === current ? 0 : room.unread,
          room.name === current,
        )
      ),
    );
    ui.directory.replaceChildren(
      ...this.#directory.map((room) => roomItem(room, this.#label(room), 0, room.name === current)),
    );
    ui.directoryMore.hidden = this.#next === null;
    const unread = mine.reduce((sum, room) => sum + (room.name === current ? 0 : room.unread), 0);
    ui.roomsSummary.textContent = unread > 0 ? `Rooms (${unread} unread)` : "Rooms";
  }
}
