/**
 * A person's name as a button that opens what one can do with them: start a
 * direct message, and for the room's owner and moderators mute (and unmute),
 * ban or remove them. Escape closes it and puts the focus back on the name.
 *
 * @module
 */
import { describeError } from "../web/describe.js";

/** @import { PublicUser } from "../contract/mod.js" */

/**
 * What the menu can do, and what the viewer may do now.
 * @typedef {object} MemberCommands
 * @property {() => { me: number | undefined, moderator: boolean, privateRoom: boolean }} context
 * @property {(user: PublicUser) => Promise<unknown>} dm opens the direct-message room
 * @property {(user: PublicUser) => Promise<unknown>} mute
 * @property {(user: PublicUser) => Promise<unknown>} unmute
 * @property {(user: PublicUser) => Promise<unknown>} ban
 * @property {(user: PublicUser) => Promise<unknown>} remove removes a member of a private room
 */

let menus = 0;

/**
 * Says how an action went, where it stays readable when the name is gone
 * (a banned user leaves the list).
 * @callback Report
 * @param {string} text
 * @param {boolean} failed
 * @returns {void}
 */

/**
 * One action of the menu: runs it and says how it went.
 *
 * @param {string} label
 * @param {() => Promise<unknown>} run
 * @param {string} done what to say once it worked
 * @param {Report} report
 * @returns {HTMLButtonElement}
 */
function action(label, run, done, report) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = label;
  button.addEventListener("click", () => {
    button.disabled = true;
    run().then(
      () => report(done, false),
      (error) => report(describeError(error), true),
    ).finally(() => (button.disabled = false));
  });
  return button;
}

/**
 * A user's name that opens their menu.
 *
 * @param {PublicUser} user
 * @param {string} label the name as shown (e.g. with "(you)")
 * @param {MemberCommands} commands
 * @param {Report} report
 * @returns {HTMLDivElement}
 */
export function memberMenu(user, label, commands, report) {
  const wrapper = document.createElement("div");
  wrapper.className = "member";
  const name = document.createElement("button");
  name.type = "button";
  name.className = "member-name";
  name.textContent = label;
  name.setAttribute("aria-expanded", "false");
  const panel = document.createElement("div");
  panel.className = "member-actions";
  panel.id = `member-actions-${++menus}`;
  panel.hidden = true;
  name.setAttribute("aria-controls", panel.id);
  wrapper.append(name, panel);

  const close = () => {
    panel.hidden = true;
    name.setAttribute("aria-expanded", "false");
    name.focus();
  };
  const open = () => {
    const { me, moderator, privateRoom } = commands.context();
    const note = document.createElement("p");
    note.className = "hint";
    /** @type {HTMLButtonElement[]} */
    const buttons = [];
    const who = user.username;
    if (me !== undefined && me !== user.id) {
      buttons.push(action("Message privately", () => commands.dm(user), "", report));
    }
    if (moderator && me !== user.id) {
      buttons.push(
        action("Mute", () => commands.mute(user), `${who} is muted in this room.`, report),
        action("Unmute", () => commands.unmute(user), `${who} may write again.`, report),
        action("Ban", () => commands.ban(user), `${who} is banned from this room.`, report),
      );
      if (privateRoom) {
        buttons.push(
          action("Remove", () => commands.remove(user), `${who} was removed.`, report),
        );
      }
    }
    if (buttons.length === 0) {
      note.textContent = me === undefined
        ? "Log in to message people."
        : me === user.id
        ? "This is you."
        : "";
    }
    panel.replaceChildren(...buttons, ...(buttons.length === 0 ? [note] : []));
    panel.hidden = false;
    name.setAttribute("aria-expanded", "true");
    (buttons[0] ?? name).focus();
  };
  name.addEventListener("click", () => (panel.hidden ? open() : close()));
  wrapper.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  return wrapper;
}
