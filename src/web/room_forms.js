/**
 * The forms that change rooms: create a room (public or private, with an
 * optional title), and add a member to a private room by name. Errors are
 * shown beside the form, which keeps what was typed.
 *
 * @module
 */
import { roomNameProblem } from "../contract/mod.js";
import { API_ERROR_TEXT, describeError } from "../web/describe.js";

/**
 * @import { PublicUser } from "../contract/mod.js"
 * @import { ChatClient, Visibility } from "../client/chat_client.js"
 */

/**
 * The users the page has seen (online lists, message senders), by name
 * without regard to case: the API adds members by id, people by name.
 */
export class KnownUsers {
  /** @type {Map<string, PublicUser>} */
  #byName = new Map();
  /** @type {HTMLDataListElement} */
  #options;

  /** @param {HTMLDataListElement} options the datalist that suggests names */
  constructor(options) {
    this.#options = options;
  }

  /** @param {PublicUser} user @returns {void} */
  add(user) {
    const key = user.username.toLowerCase();
    if (this.#byName.get(key)?.id === user.id) return;
    this.#byName.set(key, user);
    const option = document.createElement("option");
    option.value = user.username;
    this.#options.append(option);
  }

  /**
   * @param {string} name
   * @returns {PublicUser | undefined}
   */
  find(name) {
    return this.#byName.get(name.trim().toLowerCase());
  }
}

/**
 * Wires the "create a room" form: a new room is opened at once.
 *
 * @param {ChatClient} client
 * @param {typeof import("../web/elements.js").ui} ui
 * @param {(room: string) => void} opened
 * @returns {void}
 */
export function wireCreateRoom(client, ui, opened) {
  const fail = (/** @type {string} */ text) => {
    ui.createRoomError.textContent = text;
    ui.createRoomError.hidden = false;
  };
  ui.createRoomForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    ui.createRoomError.hidden = true;
    const name = ui.newRoomName.value.trim();
    if (!client.token) return fail("Log in to create a room.");
    if (roomNameProblem(name) !== undefined) return fail(`${API_ERROR_TEXT.BAD_ROOM_NAME}.`);
    const data = new FormData(ui.createRoomForm);
    const visibility = /** @type {Visibility} */ (
      data.get("visibility") === "private" ? "private" : "public"
    );
    const title = ui.newRoomTitle.value.trim();
    const submit = ui.createRoomForm.querySelector("button[type=submit]");
    if (submit instanceof HTMLButtonElement) submit.disabled = true;
    try {
      await client.createRoom(name, { visibility, ...(title ? { title } : {}) });
      ui.newRoomName.value = "";
      ui.newRoomTitle.value = "";
      ui.createRoom.open = false;
      opened(name);
    } catch (error) {
      fail(describeError(error));
    } finally {
      if (submit instanceof HTMLButtonElement) submit.disabled = false;
    }
  });
}

/**
 * Wires the "add a member" form of a private room.
 *
 * @param {ChatClient} client
 * @param {typeof import("../web/elements.js").ui} ui
 * @param {KnownUsers} known
 * @param {() => string | undefined} room the open room
 * @returns {void}
 */
export function wireMemberForm(client, ui, known, room) {
  ui.memberForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = ui.memberName.value;
    const user = known.find(name);
    const target = room();
    ui.memberResult.classList.remove("failed");
    if (!target) return;
    if (!user) {
      ui.memberResult.classList.add("failed");
      ui.memberResult.textContent =
        `This page has not seen anyone called “${name.trim()}” yet: they need to be online in a room you are in, or to have written there.`;
      return;
    }
    const role = ui.memberRole.value === "moderator" ? "moderator" : "member";
    try {
      await client.setMember(target, user.id, role);
      ui.memberName.value = "";
      ui.memberResult.textContent = `${user.username} is now a ${role} of this room.`;
    } catch (error) {
      ui.memberResult.classList.add("failed");
      ui.memberResult.textContent = describeError(error);
    }
  });
}
