/**
 * The chat page: sign up, log in, join a room, read its history, chat live,
 * see who is online. Built on the client module; every piece of user text
 * reaches the page through `textContent`, never as HTML.
 *
 * Type-checked from its JSDoc with the DOM library: `src/web/deno.json` sets
 * `checkJs` and `lib` for this folder (a workspace member, so the DOM types do
 * not leak into the server's program).
 *
 * @module
 */
import {
  ApiError,
  ChatClient,
  CLOSE_CODES,
  CLOSE_REASONS,
  ClosedError,
  textProblem,
  TimeoutError,
} from "../client/chat_client.js";

/**
 * @typedef {import("../client/chat_client.js").ChatMessage} ChatMessage
 * @typedef {import("../client/chat_client.js").ConnectionStatus} ConnectionStatus
 * @typedef {import("../client/chat_client.js").RoomConnection} RoomConnection
 * @typedef {import("../client/chat_client.js").User} User
 */

const SESSION_KEY = "chat.session";
const USERS_POLL_MS = 5000;
const PAGE_SIZE = 50;

/** What each error type of the API means to a person. */
const API_ERROR_TEXT = Object.freeze(
  /** @type {Record<string, string>} */ ({
    BAD_BINDING: "The server could not read that request",
    PAYLOAD_TOO_LARGE: "That is too long for the server",
    BAD_USERNAME: "That username is not allowed",
    BAD_PASSWORD: "That password is not allowed",
    USER_EXISTS: "That username is taken: pick another, or log in if it is yours",
    USER_NOT_FOUND: "No account has that username: check it, or sign up",
    PASSWORD_MATCH_FAILED: "Wrong password for that username",
    RATE_LIMITED: "Too many attempts: wait a little and try again",
    INVALID_AUTH_TOKEN: "Your login is no longer valid: log in again",
    BAD_ROOM_NAME: "Room names are 1 to 64 characters, with no spaces and no “/”",
    BAD_QUERY: "The server refused the request's parameters",
    NOT_FOUND: "The server does not know that address",
    METHOD_NOT_ALLOWED: "The server does not allow that request",
    UPGRADE_REQUIRED: "That address needs a WebSocket connection",
    FORBIDDEN_ORIGIN: "The server does not accept connections from this page's address",
    BAD_HANDSHAKE: "The server refused the connection request",
    INTERNAL_ERROR: "The server hit an unexpected error: try again",
    STORE_UNAVAILABLE: "The server cannot reach its storage right now: try again soon",
    NETWORK_ERROR: "Cannot reach the server: check your connection",
    BAD_RESPONSE: "The server sent an answer this page does not understand",
  }),
);

/** Types whose server message adds the detail a person needs (which rule failed). */
const DETAILED_TYPES = new Set(["BAD_USERNAME", "BAD_PASSWORD", "BAD_ROOM_NAME", "BAD_QUERY"]);

/**
 * A person-readable sentence for an API error.
 *
 * @param {ApiError} error
 * @returns {string}
 */
function describeApiError(error) {
  const text = API_ERROR_TEXT[error.type];
  if (!text) return error.message || `The request failed (${error.type})`;
  let out = text;
  if (DETAILED_TYPES.has(error.type) && error.message) out += ` (${error.message})`;
  if (error.retryAfter) out += ` (about ${Math.ceil(error.retryAfter)} s)`;
  return `${out}.`;
}

/**
 * A person-readable sentence for a WebSocket close.
 *
 * @param {number} code
 * @param {string} reason
 * @returns {string}
 */
function describeClose(code, reason) {
  switch (reason) {
    case CLOSE_REASONS.READ_ONLY:
      return "You are reading anonymously, so the server closed the connection when this page sent a message. Log in to send.";
    case CLOSE_REASONS.RATE_LIMITED:
      return "You sent messages faster than the server allows, so it closed the connection. Wait a few seconds, then join again.";
    case CLOSE_REASONS.TOKEN_EXPIRED:
      return "Your login expired. Log in again to keep chatting.";
  }
  switch (code) {
    case CLOSE_CODES.NORMAL:
      return "The connection closed.";
    case CLOSE_CODES.SHUTDOWN:
      return "The server is restarting.";
    case CLOSE_CODES.BINARY_NOT_SUPPORTED:
      return "The server refused data this page sent (binary frames are not supported).";
    case CLOSE_CODES.ABNORMAL:
      return "The connection dropped.";
    case CLOSE_CODES.BAD_MESSAGE:
      return "The server could not read a message this page sent.";
    case CLOSE_CODES.POLICY:
      return "The server closed the connection because of its rules.";
    case CLOSE_CODES.TOO_BIG:
      return "That message was too big for the server (at most 4,000 characters).";
    case CLOSE_CODES.INTERNAL_ERROR:
      return "The server hit an error.";
    case CLOSE_CODES.SLOW_CONSUMER:
      return "The connection fell too far behind the room.";
  }
  return `The connection closed (code ${code}${reason ? `, ${reason}` : ""}).`;
}

/**
 * A person-readable sentence for any error the client raises.
 *
 * @param {unknown} error
 * @returns {string}
 */
function describeError(error) {
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof ClosedError) return describeClose(error.code, error.reason);
  if (error instanceof TimeoutError) {
    return "The server did not confirm this message in time; it may not have been delivered.";
  }
  if (error instanceof RangeError) return `${error.message}.`;
  return "Something went wrong. Reload the page and try again.";
}

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

const ui = {
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

const client = new ChatClient({ baseUrl: location.origin });

/** The page's state besides the DOM. */
const state = {
  /** @type {RoomConnection | undefined} */
  connection: undefined,
  /** @type {string | undefined} */
  room: undefined,
  /** Rendered messages by seq. @type {Map<number, HTMLLIElement>} */
  rendered: new Map(),
  /** @type {number | undefined} */
  oldestSeq: undefined,
  /** @type {number | undefined} */
  newestSeq: undefined,
  /** @type {ReturnType<typeof setInterval> | undefined} */
  usersTimer: undefined,
  loadingOlder: false,
};

/** @param {string} text */
function showError(text) {
  ui.error.textContent = text;
  ui.error.hidden = false;
}

function clearError() {
  ui.error.textContent = "";
  ui.error.hidden = true;
}

/**
 * @param {string} text
 * @param {boolean} [warn]
 */
function setStatus(text, warn = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("warn", warn);
}

function saveSession() {
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

function restoreSession() {
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

function renderAccount() {
  const user = client.user;
  ui.loginForm.hidden = Boolean(user);
  ui.signedIn.hidden = !user;
  ui.me.textContent = user ? user.username : "";
  renderComposer();
}

function renderComposer() {
  const connection = state.connection;
  let hint = "";
  let enabled = false;
  if (!connection) {
    hint = "Join a room to chat.";
  } else if (connection.readOnly) {
    hint = "You are reading anonymously. Log in or sign up to send messages.";
  } else if (connection.state === "closed") {
    hint = "Disconnected. Join the room again to send messages.";
  } else {
    enabled = true;
    hint = connection.state === "open"
      ? "Enter sends, Shift+Enter starts a new line."
      : "Reconnecting: messages you send now go out once the connection is back.";
  }
  ui.message.disabled = !enabled;
  ui.send.disabled = !enabled;
  ui.composerHint.textContent = hint;
}

/**
 * The rendered message that a message with this seq goes before, or `null` to append.
 *
 * @param {number} seq
 * @returns {Element | null}
 */
function insertionPoint(seq) {
  if (state.newestSeq === undefined || seq > state.newestSeq) return null;
  for (const child of ui.messages.children) {
    const raw = child.getAttribute("data-seq");
    if (raw !== null && Number(raw) > seq) return child;
  }
  return null;
}

/**
 * Renders one message, once, in seq order.
 *
 * @param {ChatMessage} message
 */
function renderMessage(message) {
  if (message.room !== state.room || state.rendered.has(message.seq)) return;
  const nearBottom =
    ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  const item = document.createElement("li");
  item.setAttribute("data-seq", String(message.seq));
  if (client.user && message.sender.id === client.user.id) item.classList.add("mine");
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

  const before = insertionPoint(message.seq);
  if (before) ui.messages.insertBefore(item, before);
  else {
    // New messages go above pending sends, which stay at the bottom.
    const firstPending = ui.messages.querySelector("li.pending");
    ui.messages.insertBefore(item, firstPending);
  }
  state.rendered.set(message.seq, item);
  if (state.oldestSeq === undefined || message.seq < state.oldestSeq) state.oldestSeq = message.seq;
  if (state.newestSeq === undefined || message.seq > state.newestSeq) state.newestSeq = message.seq;
  ui.loadOlder.hidden = state.oldestSeq <= 1;
  if (nearBottom && !before) ui.messages.scrollTop = ui.messages.scrollHeight;
}

/**
 * Shows a message being sent until the server confirms it.
 *
 * @param {string} text
 */
function sendMessage(text) {
  const connection = state.connection;
  if (!connection) return;
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
  ui.messages.append(item);
  ui.messages.scrollTop = ui.messages.scrollHeight;

  connection.send(text).then(
    () => item.remove(),
    (error) => {
      item.classList.add("failed");
      label.textContent = `Not sent: ${describeError(error)}`;
      if (error instanceof TimeoutError && state.connection === connection) {
        const retry = document.createElement("button");
        retry.type = "button";
        retry.className = "secondary";
        retry.textContent = "Send again";
        retry.addEventListener("click", () => {
          item.remove();
          sendMessage(text);
        });
        meta.append(retry);
      }
    },
  );
}

/** @param {RoomConnection} connection */
function describeStatus(connection) {
  return connection.readOnly ? " (read-only)" : "";
}

/**
 * @param {RoomConnection} connection
 * @param {ConnectionStatus} status
 */
function onStatus(connection, status) {
  if (state.connection !== connection) return;
  const room = `“${connection.room}”`;
  switch (status.state) {
    case "connecting":
      setStatus(status.attempt > 0 ? `Reconnecting to ${room}…` : `Connecting to ${room}…`);
      break;
    case "open":
      setStatus(`Connected to ${room}${describeStatus(connection)}.`);
      void refreshUsers();
      break;
    case "reconnecting": {
      const why = describeClose(status.code ?? CLOSE_CODES.ABNORMAL, status.reason ?? "");
      const seconds = Math.max(1, Math.round((status.delayMs ?? 0) / 1000));
      setStatus(`${why} Reconnecting in ${seconds} s; no message will be lost.`, true);
      break;
    }
    case "closed":
      if (status.error) {
        setStatus(`Disconnected from ${room}. ${describeError(status.error)}`, true);
      } else setStatus(`Left ${room}.`);
      stopUsersPolling();
      break;
  }
  renderComposer();
}

/**
 * @param {RoomConnection} connection
 * @param {Error} error
 */
function onConnectionError(connection, error) {
  if (state.connection !== connection) return;
  showError(describeError(error));
  const loginGone = (error instanceof ApiError && error.type === "INVALID_AUTH_TOKEN") ||
    (error instanceof ClosedError && error.reason === CLOSE_REASONS.TOKEN_EXPIRED);
  if (loginGone) {
    client.logout();
    saveSession();
    renderAccount();
  }
}

async function refreshUsers() {
  const room = state.room;
  if (!room) return;
  try {
    const { users, anonymous } = await client.roomUsers(room);
    if (state.room !== room) return;
    const items = users.map((user) => {
      const item = document.createElement("li");
      item.textContent = user.username;
      if (client.user && user.id === client.user.id) item.textContent += " (you)";
      return item;
    });
    ui.onlineUsers.replaceChildren(...items);
    ui.onlineAnonymous.textContent = anonymous === 0
      ? ""
      : `${anonymous} anonymous reader${anonymous === 1 ? "" : "s"}`;
    if (users.length === 0 && anonymous === 0) ui.onlineAnonymous.textContent = "Nobody yet.";
  } catch (error) {
    if (state.room === room) {
      ui.onlineAnonymous.textContent = `Cannot load: ${describeError(error)}`;
    }
  }
}

function stopUsersPolling() {
  if (state.usersTimer !== undefined) clearInterval(state.usersTimer);
  state.usersTimer = undefined;
}

/**
 * Joins a room (again). Rejoining the same room resumes after the last message shown.
 *
 * @param {string} room
 */
function joinRoom(room) {
  const same = state.room === room;
  const since = same ? state.connection?.lastSeq : undefined;
  void state.connection?.close();
  stopUsersPolling();
  if (!same) {
    state.rendered.clear();
    state.oldestSeq = undefined;
    state.newestSeq = undefined;
    ui.messages.replaceChildren();
    ui.onlineUsers.replaceChildren();
    ui.onlineAnonymous.textContent = "";
    ui.loadOlder.hidden = true;
  }
  state.room = room;
  ui.roomTitle.textContent = `Room “${room}”`;
  /** @type {RoomConnection} */
  const connection = client.join(room, {
    batch: true,
    since,
    onMessage: renderMessage,
    onStatus: (status) => onStatus(connection, status),
    onError: (error) => onConnectionError(connection, error),
  });
  state.connection = connection;
  state.usersTimer = setInterval(() => void refreshUsers(), USERS_POLL_MS);
  renderComposer();
  if (location.hash !== `#${encodeURIComponent(room)}`) {
    history.replaceState(null, "", `#${encodeURIComponent(room)}`);
  }
}

async function loadOlder() {
  const room = state.room;
  if (!room || state.oldestSeq === undefined || state.loadingOlder) return;
  state.loadingOlder = true;
  ui.loadOlder.disabled = true;
  try {
    const page = await client.history(room, { before: state.oldestSeq, limit: PAGE_SIZE });
    if (state.room !== room) return;
    const anchor = ui.messages.scrollHeight - ui.messages.scrollTop;
    for (const message of page.messages) renderMessage(message);
    ui.messages.scrollTop = ui.messages.scrollHeight - anchor;
    ui.loadOlder.hidden = !page.hasMore;
    clearError();
  } catch (error) {
    showError(`Cannot load older messages. ${describeError(error)}`);
  } finally {
    state.loadingOlder = false;
    ui.loadOlder.disabled = false;
  }
}

ui.loginForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const submitter = /** @type {SubmitEvent} */ (event).submitter;
  const action = submitter instanceof HTMLButtonElement ? submitter.value : "login";
  const username = ui.username.value;
  const secret = ui.secret.value;
  const buttons = ui.loginForm.querySelectorAll("button");
  for (const button of buttons) button.disabled = true;
  try {
    if (action === "signup") await client.signUp(username, secret);
    await client.login(username, secret);
    ui.secret.value = "";
    clearError();
    saveSession();
    renderAccount();
    if (state.room) joinRoom(state.room);
  } catch (error) {
    showError(describeError(error));
  } finally {
    for (const button of buttons) button.disabled = false;
  }
});

ui.logout.addEventListener("click", () => {
  client.logout();
  saveSession();
  renderAccount();
  if (state.room) joinRoom(state.room);
  ui.username.focus();
});

ui.roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = ui.room.value.trim();
  if (!/^[^\s/]{1,64}$/u.test(room) || [...room].length > 64) {
    showError(`${API_ERROR_TEXT.BAD_ROOM_NAME}.`);
    ui.room.focus();
    return;
  }
  clearError();
  joinRoom(room);
});

ui.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.message.value;
  const problem = textProblem(text);
  if (problem) {
    showError(`${problem}.`);
    return;
  }
  clearError();
  ui.message.value = "";
  sendMessage(text);
  ui.message.focus();
});

ui.message.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});

ui.loadOlder.addEventListener("click", () => void loadOlder());

restoreSession();
renderAccount();
if (client.token) {
  // A stored login may have expired since.
  client.me().catch((error) => {
    if (error instanceof ApiError && error.status === 401) {
      client.logout();
      saveSession();
      renderAccount();
      showError("Your earlier login has expired. Log in again.");
    }
  });
}
let fromHash = "";
try {
  fromHash = decodeURIComponent(location.hash.slice(1));
} catch {
  // A malformed hash is ignored.
}
if (fromHash) {
  ui.room.value = fromHash;
  joinRoom(fromHash);
} else {
  ui.room.value = "lobby";
}
