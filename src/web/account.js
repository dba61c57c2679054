/**
 * The account area: sign up, log in, log out (this device, or everywhere:
 * every token of the user is revoked, so every other tab and device is
 * logged out within seconds). The login is kept for the tab's session.
 *
 * @module
 */
import { describeError } from "../web/describe.js";
import { saveLogin } from "../web/saved_login.js";

/** @import { ChatClient } from "../client/chat_client.js" */

/**
 * What the account area tells the page.
 * @typedef {object} AccountHooks
 * @property {(rejoin: boolean) => void} changed the user logged in or out; `rejoin`: open the
 *   room again as the new user (not when the server ended the login)
 * @property {(text: string) => void} showError
 * @property {() => void} clearError
 */

/**
 * Shows the login form or who is signed in.
 *
 * @param {ChatClient} client
 * @param {typeof import("../web/elements.js").ui} ui
 * @returns {void}
 */
export function renderAccount(client, ui) {
  const user = client.user;
  ui.loginForm.hidden = Boolean(user);
  ui.signedIn.hidden = !user;
  ui.me.textContent = user ? user.username : "";
}

/**
 * Forgets the login on this page (the server already refused it); the room
 * stays closed with the reason shown.
 *
 * @param {ChatClient} client
 * @param {AccountHooks} hooks
 * @returns {void}
 */
export function forgetLogin(client, hooks) {
  client.forget();
  saveLogin(client);
  hooks.changed(false);
}

/**
 * Wires the login form and the log-out buttons.
 *
 * @param {ChatClient} client
 * @param {typeof import("../web/elements.js").ui} ui
 * @param {AccountHooks} hooks
 * @returns {void}
 */
export function wireAccount(client, ui, hooks) {
  ui.loginForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submitter = /** @type {SubmitEvent} */ (event).submitter;
    const action = submitter instanceof HTMLButtonElement ? submitter.value : "login";
    const buttons = ui.loginForm.querySelectorAll("button");
    for (const button of buttons) button.disabled = true;
    try {
      if (action === "signup") await client.signUp(ui.username.value, ui.secret.value);
      await client.login(ui.username.value, ui.secret.value);
      ui.secret.value = "";
      hooks.clearError();
      saveLogin(client);
      hooks.changed(true);
      ui.logout.focus();
    } catch (error) {
      hooks.showError(describeError(error));
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  });

  /** @param {boolean} all */
  const logout = async (all) => {
    ui.logout.disabled = ui.logoutAll.disabled = true;
    try {
      await client.logout({ all });
      hooks.clearError();
    } catch (error) {
      hooks.showError(`Logged out here, but the server was not told. ${describeError(error)}`);
    } finally {
      ui.logout.disabled = ui.logoutAll.disabled = false;
      saveLogin(client);
      hooks.changed(true);
      ui.username.focus();
    }
  };
  ui.logout.addEventListener("click", () => void logout(false));
  ui.logoutAll.addEventListener("click", () => void logout(true));
}
