/**
 * The chat page: sign up, log in, pick a room from the list (unread counts
 * from the server's read state) or create one, read its history, chat live
 * over protocol v2 (edits, deletes, typing, presence), moderate, and open
 * direct messages. Built on the client module; every piece of user text
 * reaches the page through `textContent`, never as HTML.
 *
 * Type-checked from its JSDoc with the DOM library: `src/web/deno.json` sets
 * `checkJs` and `lib` for this folder (a workspace member, so the DOM types do
 * not leak into the server's program).
 *
 * @module
 */
import { ApiError, ChatClient, ClosedError, ReplyError } from "../client/chat_client.js";
import { ABNORMAL_CLOSURE, CLOSE, roomNameProblem } from "../contract/mod.js";
import { forgetLogin, renderAccount, wireAccount } from "../web/account.js";
import { Composer } from "../web/composer.js";
import { API_ERROR_TEXT, describeClose, describeError } from "../web/describe.js";
import { ui } from "../web/elements.js";
import { MessageLog } from "../web/message_log.js";
import { wireOlderHistory } from "../web/older_history.js";
import { OnlineList } from "../web/online_list.js";
import { KnownUsers, wireCreateRoom, wireMemberForm } from "../web/room_forms.js";
import { RoomList } from "../web/room_list.js";
import { restoreLogin } from "../web/saved_login.js";
import { TypingIndicator } from "../web/typing_indicator.js";

/**
 * @import { PublicUser } from "../contract/mod.js"
 * @import { ConnectionStatus, RoomConnection } from "../client/chat_client.js"
 */

/** How often the room list's unread counts are refreshed while the page is visible. */
const ROOMS_REFRESH_MS = 30_000;

const client = new ChatClient({ baseUrl: location.origin });

/** The page's state besides the DOM and its components. */
const state = {
  /** @type {RoomConnection | undefined} */
  connection: undefined,
  /** @type {string | undefined} */
  room: undefined,
  /** The read position of the open room, as the server keeps it. */
  lastRead: 0,
  /** Whether the open room's history is shown (and its divider placed): reading may count. */
  settled: false,
  /** Direct-message rooms opened here, with the other person's name. @type {Map<string, string>} */
  directWith: new Map(),
};

const known = new KnownUsers(ui.knownUsers);
const rooms = new RoomList(client, ui);
const composer = new Composer(ui, () => state.connection);
const typing = new TypingIndicator(ui.typing);

/** Whether the user may moderate the open room. */
function moderator() {
  const role = state.room === undefined ? undefined : rooms.role(state.room);
  return role === "owner" || role === "moderator";
}

const log = new MessageLog(ui.messages, {
  me: () => client.user?.id,
  canEdit: () => Boolean(state.connection && !state.connection.readOnly),
  moderator,
  edit: (seq, text) => requireConnection().edit(seq, text),
  remove: (seq) => requireConnection().delete(seq),
});

const online = new OnlineList({
  list: ui.onlineUsers,
  anonymous: ui.onlineAnonymous,
  status: ui.memberStatus,
}, {
  context: () => ({
    me: client.user?.id,
    moderator: moderator(),
    privateRoom: state.room !== undefined && rooms.isPrivate(state.room),
  }),
  dm: async (user) => {
    const room = await client.openDm(user.id);
    state.directWith.set(room.name, user.username);
    openRoom(room.name);
  },
  mute: (user) => client.mute(requireRoom(), user.id),
  unmute: (user) => client.unmute(requireRoom(), user.id),
  ban: (user) => client.ban(requireRoom(), user.id),
  remove: (user) => client.removeMember(requireRoom(), user.id),
});

function requireConnection() {
  if (!state.connection) throw new Error("No room is open");
  return state.connection;
}

function requireRoom() {
  if (!state.room) throw new Error("No room is open");
  return state.room;
}

/**
 * What went wrong, as a sentence: a private room read without a login says so.
 *
 * @param {unknown} error
 */
function explain(error) {
  if (!client.token && error instanceof ApiError && error.type === "INVALID_AUTH_TOKEN") {
    return "This room is private: log in as one of its members to read it.";
  }
  return describeError(error);
}

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

/** @param {string} room */
function roomLabel(room) {
  const other = state.directWith.get(room) ?? rooms.directWith(room);
  return other ? `Direct messages with ${other}` : `Room “${room}”`;
}

/** Shows what the user may do in the open room. */
function renderRoomTools() {
  const privateRoom = state.room !== undefined && rooms.isPrivate(state.room);
  ui.members.hidden = !(privateRoom && moderator() && !state.directWith.has(state.room ?? ""));
  log.refreshActions();
  composer.render();
}

/** Moves the read position to the newest message once it has been seen. */
function markSeen() {
  const connection = state.connection;
  const newest = connection?.lastSeq;
  if (!connection || !state.settled || connection.readOnly || newest === undefined) return;
  if (newest <= state.lastRead || document.visibilityState !== "visible") return;
  if (!log.nearBottom()) return;
  state.lastRead = newest;
  rooms.read(connection.room, newest);
  connection.markRead(newest).catch(() => {});
}

/** @param {PublicUser} user */
function seen(user) {
  known.add(user);
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
      setStatus(`Connected to ${room}${connection.readOnly ? " (read-only)" : ""}.`);
      break;
    case "reconnecting": {
      const why = describeClose(status.code ?? ABNORMAL_CLOSURE, status.reason ?? "");
      const seconds = Math.max(1, Math.round((status.delayMs ?? 0) / 1000));
      setStatus(`${why} Reconnecting in ${seconds} s; no message will be lost.`, true);
      break;
    }
    case "closed":
      if (status.error) {
        setStatus(`Disconnected from ${room}. ${explain(status.error)}`, true);
      } else setStatus(`Left ${room}.`);
      online.clear();
      typing.clear();
      break;
  }
  composer.render();
}

/**
 * @param {RoomConnection} connection
 * @param {Error} error
 */
function onConnectionError(connection, error) {
  if (state.connection !== connection) return;
  if (error instanceof ReplyError) return composer.showError(describeError(error));
  showError(explain(error));
  const loginGone = (error instanceof ApiError && error.type === "INVALID_AUTH_TOKEN") ||
    (error instanceof ClosedError &&
      (error.reason === CLOSE.TOKEN_EXPIRED.reason || error.reason === CLOSE.TOKEN_REVOKED.reason));
  if (loginGone) forgetLogin(client, accountHooks);
}

/**
 * Joins a room (again). Rejoining the same room resumes after the last event shown.
 *
 * @param {string} room
 */
function joinRoom(room) {
  const same = state.room === room;
  const since = same ? state.connection?.lastSeq : undefined;
  void state.connection?.close();
  online.clear();
  typing.clear();
  if (!same) {
    log.clear();
    ui.loadOlder.hidden = true;
  }
  state.room = room;
  state.lastRead = 0;
  state.settled = false;
  ui.roomTitle.textContent = roomLabel(room);
  rooms.setCurrent(room);
  /** @type {RoomConnection} */
  const connection = client.join(room, {
    v2: true,
    batch: true,
    since,
    onStatus: (status) => onStatus(connection, status),
    onError: (error) => onConnectionError(connection, error),
  });
  state.connection = connection;
  const mine = () => state.connection === connection;
  connection.on("message", (message) => {
    if (!mine()) return;
    seen(message.sender);
    typing.stopped(message.sender.id);
    log.render(message);
    ui.loadOlder.hidden = (log.oldestSeq ?? 1) <= 1;
    markSeen();
  });
  connection.on("edit", (edit) => {
    if (mine()) log.edit(edit);
  });
  connection.on("delete", (deletion) => {
    if (mine()) log.remove(deletion);
  });
  connection.on("presence", (event) => {
    if (!mine()) return;
    event.users.forEach(seen);
    online.presence(event);
  });
  connection.on("join", (event) => {
    if (!mine()) return;
    seen(event.user);
    online.join(event);
  });
  connection.on("leave", (event) => {
    if (!mine()) return;
    online.leave(event);
    typing.stopped(event.user.id);
  });
  connection.on("typing", (event) => {
    if (mine()) typing.typing(event.user);
  });
  connection.on("read", (event) => {
    if (!mine() || event.seq <= state.lastRead) return;
    state.lastRead = event.seq;
    rooms.read(room, event.seq);
  });
  const lastRead = rooms.lastRead(room).catch(() => 0);
  connection.ready.then(async () => {
    const position = await lastRead;
    if (!mine()) return;
    state.lastRead = Math.max(state.lastRead, position);
    ui.roomTitle.textContent = roomLabel(room);
    renderRoomTools();
    if (!same && !log.showDivider(state.lastRead)) log.scrollToEnd();
    state.settled = true;
    markSeen();
  }, () => {});
  composer.render();
  if (location.hash !== `#${encodeURIComponent(room)}`) {
    history.replaceState(null, "", `#${encodeURIComponent(room)}`);
  }
}

/**
 * Opens a room the user picked or made.
 *
 * @param {string} room
 */
function openRoom(room) {
  clearError();
  composer.clearError();
  ui.room.value = room;
  joinRoom(room);
  ui.message.focus();
}

/** @type {import("../web/account.js").AccountHooks} */
const accountHooks = {
  changed: (rejoin) => {
    renderAccount(client, ui);
    void rooms.refresh().then(renderRoomTools);
    if (rejoin && state.room) joinRoom(state.room);
    composer.render();
  },
  showError,
  clearError,
};

wireAccount(client, ui, accountHooks);
wireCreateRoom(client, ui, (room) => {
  void rooms.refresh();
  openRoom(room);
});
wireMemberForm(client, ui, known, () => state.room);

ui.roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = ui.room.value.trim();
  if (roomNameProblem(room) !== undefined) {
    showError(`${API_ERROR_TEXT.BAD_ROOM_NAME}.`);
    ui.room.focus();
    return;
  }
  openRoom(room);
});

wireOlderHistory({
  client,
  ui,
  log,
  room: () => state.room,
  report: (text) => (text ? showError(text) : clearError()),
});
ui.messages.addEventListener("scroll", markSeen, { passive: true });
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  markSeen();
  void rooms.refresh();
});
setInterval(() => {
  if (document.visibilityState === "visible") void rooms.refresh();
}, ROOMS_REFRESH_MS);

/** The room named in the address (`#lobby`), if any. */
function roomFromHash() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return ""; // A malformed hash is ignored.
  }
}

addEventListener("hashchange", () => {
  const room = roomFromHash();
  if (room && room !== state.room && roomNameProblem(room) === undefined) openRoom(room);
});

restoreLogin(client);
renderAccount(client, ui);
if (matchMedia("(min-width: 701px)").matches) ui.roomsPanel.open = true;
if (client.token) {
  // A stored login may have expired, or been revoked, since.
  client.me().catch((error) => {
    if (error instanceof ApiError && error.status === 401) {
      forgetLogin(client, accountHooks);
      showError("Your earlier login has ended. Log in again.");
    }
  });
}
void rooms.refresh().then(renderRoomTools);
const fromHash = roomFromHash();
if (fromHash) {
  ui.room.value = fromHash;
  joinRoom(fromHash);
} else {
  ui.room.value = "lobby";
}
