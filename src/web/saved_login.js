/**
 * The login kept in `sessionStorage`, so a reload stays signed in.
 *
 * @module
 */

/** @import { ChatClient } from "../client/chat_client.js" */

const SESSION_KEY = "chat.session";

/**
 * Keeps the client's login for this tab, or forgets it once logged out.
 *
 * @param {ChatClient} client
 */
export function saveLogin(client) {
  try {
    if (client.token && client.user) {
      sessionStorage.setItem(
        SESSION_KEY,
        JSON.stringify({ token: client.token, user: client.user }),
      );
    } else {
      sessionStorage.removeItem(SESSION_KEY);
    }
  } catch {
    // Storage can be unavailable (private mode); the login then lasts until reload.
  }
}

/**
 * Gives the client the login kept for this tab, if any.
 *
 * @param {ChatClient} client
 */
export function restoreLogin(client) {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return;
    const saved = JSON.parse(raw);
    if (typeof saved?.token === "string" && typeof saved?.user?.username === "string") {
      client.token = saved.token;
      client.user = saved.user;
    }
  } catch {
    // A damaged entry is ignored.
  }
}
