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
  logoutAll: byId("logout-all", HTMLButtonElement),
  error: byId("error", HTMLParagraphElement),
  roomsPanel: byId("rooms-panel", HTMLDetailsElement),
  roomsSummary: byId("rooms-summary", HTMLElement),
  roomForm: byId("room-form", HTMLFormElement),
  room: byId("room", HTMLInputElement),
  myRooms: byId("my-rooms", HTMLUListElement),
  myRoomsHint: byId("my-rooms-hint", HTMLParagraphElement),
  directory: byId("directory", HTMLUListElement),
  directoryHint: byId("directory-hint", HTMLParagraphElement),
  directoryMore: byId("directory-more", HTMLButtonElement),
  createRoom: byId("create-room", HTMLDetailsElement),
  createRoomForm: byId("create-room-form", HTMLFormElement),
  newRoomName: byId("new-room-name", HTMLInputElement),
  newRoomTitle: byId("new-room-title", HTMLInputElement),
  createRoomError: byId("create-room-error", HTMLParagraphElement),
  status: byId("status", HTMLParagraphElement),
  roomTitle: byId("room-title", HTMLHeadingElement),
  members: byId("members", HTMLElement),
  memberForm: byId("member-form", HTMLFormElement),
  memberName: byId("member-name", HTMLInputElement),
  memberRole: byId("member-role", HTMLSelectElement),
  memberResult: byId("member-result", HTMLParagraphElement),
  knownUsers: byId("known-users", HTMLDataListElement),
  loadOlder: byId("load-older", HTMLButtonElement),
  messages: byId("messages", HTMLOListElement),
  typing: byId("typing", HTMLParagraphElement),
  composer: byId("composer", HTMLFormElement),
  message: byId("message", HTMLTextAreaElement),
  send: byId("send", HTMLButtonElement),
  composerError: byId("composer-error", HTMLParagraphElement),
  composerHint: byId("composer-hint", HTMLParagraphElement),
  onlineUsers: byId("online-users", HTMLUListElement),
  onlineAnonymous: byId("online-anonymous", HTMLParagraphElement),
  memberStatus: byId("member-status", HTMLParagraphElement),
};
