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
  ClosedError,
  textProblem,
  TimeoutError,
} from "../client/chat_client.js";
import { ABNORMAL_CLOSURE, CLOSE, roomNameProblem } from "../contract/mod.js";
import { API_ERROR_TEXT, composerState, describeClose, describeError } from "../web/describe.js";
import { ui } from "../web/elements.js";
import { insertionPoint, messageItem, pendingItem } from "../web/message_items.js";
import { restoreLogin, saveLogin } from "../web/saved_login.js";

/**
 * @import { ChatMessage } from "../contract/mod.js"
 * @import { ConnectionStatus, RoomConnection } from "../client/chat_client.js"
 */

const USERS_POLL_MS = 5000;
const PAGE_SIZE = 50;

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

function renderComposer() {
  const { enabled, hint } = composerState(state.connection);
  ui.message.disabled = !enabled;
  ui.send.disabled = !enabled;
  ui.composerHint.textContent = hint;
}

function renderAccount() {
  const user = client.user;
  ui.loginForm.hidden = Boolean(user);
  ui.signedIn.hidden = !user;
  ui.me.textContent = user ? user.username : "";
  renderComposer();
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
  const item = messageItem(message, client.user?.id === message.sender.id);
  const before = insertionPoint(ui.messages, message.seq, state.newestSeq);
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
  const { item, meta, label } = pendingItem(text);
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
      const why = describeClose(status.code ?? ABNORMAL_CLOSURE, status.reason ?? "");
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
    (error instanceof ClosedError && error.reason === CLOSE.TOKEN_EXPIRED.reason);
  if (loginGone) {
    client.logout();
    saveLogin(client);
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
    saveLogin(client);
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
  saveLogin(client);
  renderAccount();
  if (state.room) joinRoom(state.room);
  ui.username.focus();
});

ui.roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = ui.room.value.trim();
  if (roomNameProblem(room) !== undefined) {
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

restoreLogin(client);
renderAccount();
if (client.token) {
  // A stored login may have expired since.
  client.me().catch((error) => {
    if (error instanceof ApiError && error.status === 401) {
      client.logout();
      saveLogin(client);
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
