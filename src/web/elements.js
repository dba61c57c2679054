/**
 * The page's elements, looked up once; a missing one fails at load.
 *
 * @module
 */

/**
 * An element by id, of the expected class.
 *
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no #${id}`);
  return element;
}

/** The page's elements, by role. */
export const ui = {
  loginForm: byId("login-form", HTMLFormElement),
  username: byId("username", HTMLInputElement),
  secret: byId("secret", HTMLInputElement),
  signedIn: byId("signed-in", HTMLDivElement),
  me: byId("me", HTMLElement),
  logout: byId("logout", HTMLButtonElement),
  error: byId("error", HTMLParagraphElement),
  roomForm: byId("room-form", HTMLFormElement),
  room: byId("room", HTMLInputElement),
  status: byId("status", HTMLParagraphElement),
  roomTitle: byId("room-title", HTMLHeadingElement),
  loadOlder: byId("load-older", HTMLButtonElement),
  messages: byId("messages", HTMLOListElement),
  composer: byId("composer", HTMLFormElement),
  message: byId("message", HTMLTextAreaElement),
  send: byId("send", HTMLButtonElement),
  composerHint: byId("composer-hint", HTMLParagraphElement),
  onlineUsers: byId("online-users", HTMLUListElement),
  onlineAnonymous: byId("online-anonymous", HTMLParagraphElement),
};
