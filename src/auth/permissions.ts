/**
 * Who may do what in which room (CONTRACT §7): one table of role × action,
 * the order in which visibility and restrictions are considered, and the one
 * mapping of each refusal to its HTTP error and its close code. REST routes
 * and sockets both decide through {@linkcode decide}; handlers never test a
 * role themselves.
 *
 * The facts a decision needs (the caller's role in the room, the room's
 * visibility, bans and mutes in force) are gathered by `room_access.ts`; this
 * module is pure.
 *
 * @module
 */
import { CLOSE, type CloseReason } from "../contract/mod.js";
import { type AppError, AuthError, ForbiddenError } from "../errors.ts";

/**
 * The caller's standing in one room: `anonymous` (no token), `user` (signed
 * in, not a member), `member`, `moderator`, `owner`, or `admin` (a server
 * admin named in `ADMIN_USERNAMES`, or the server API's key), whatever its
 * membership.
 */
export type Role = "anonymous" | "user" | "member" | "moderator" | "owner" | "admin";

/** Every role, lowest rank first. */
export const ROLES: readonly Role[] = Object.freeze([
  "anonymous",
  "user",
  "member",
  "moderator",
  "owner",
  "admin",
]);

/**
 * What a caller may ask for:
 * - `read`: join the socket, read history, room info, the user and member lists;
 * - `send`: post a message;
 * - `edit`: replace a message's text;
 * - `delete`: delete a message;
 * - `manageMembers`: add or remove a plain member;
 * - `setRoles`: make or unmake a moderator (or remove one);
 * - `moderate`: ban and mute in the room, list its bans and mutes;
 * - `admin`: the server-wide routes (server bans, the audit log).
 */
export type Action =
  | "read"
  | "send"
  | "edit"
  | "delete"
  | "manageMembers"
  | "setRoles"
  | "moderate"
  | "admin";

/** Every action, in the table's order. */
export const ACTIONS: readonly Action[] = Object.freeze([
  "read",
  "send",
  "edit",
  "delete",
  "manageMembers",
  "setRoles",
  "moderate",
  "admin",
]);

/** A cell of the table: nothing, only one's own messages, or everything. */
export type Grant = "none" | "own" | "all";

/**
 * The table: what each role may do in a room it can see. A private room adds
 * its gate before it (only members and admins pass), and restrictions are
 * considered around it (see {@linkcode decide}).
 */
export const PERMISSIONS: Readonly<Record<Action, Readonly<Record<Role, Grant>>>> = Object.freeze({
  read: row("all", "all", "all", "all", "all", "all"),
  send: row("none", "all", "all", "all", "all", "all"),
  // The author only, whoever else asks (CONTRACT §7).
  edit: row("none", "own", "own", "own", "own", "own"),
  delete: row("none", "own", "own", "all", "all", "all"),
  manageMembers: row("none", "none", "none", "all", "all", "all"),
  setRoles: row("none", "none", "none", "none", "all", "all"),
  moderate: row("none", "none", "none", "all", "all", "all"),
  admin: row("none", "none", "none", "none", "none", "all"),
});

/** One row of the table, cells in {@linkcode ROLES} order. */
function row(
  anonymous: Grant,
  user: Grant,
  member: Grant,
  moderator: Grant,
  owner: Grant,
  admin: Grant,
): Readonly<Record<Role, Grant>> {
  return Object.freeze({ anonymous, user, member, moderator, owner, admin });
}

/** What a decision is made on. */
export interface Facts {
  readonly role: Role;
  /** The room's visibility (`private` for a direct-message room); `public` for server actions. */
  readonly visibility: "public" | "private";
  /** A ban of the caller in this room is in force. */
  readonly banned: boolean;
  /** A mute of the caller in this room is in force. */
  readonly muted: boolean;
  /** A server-wide ban of the caller is in force. */
  readonly serverBanned: boolean;
  /** The caller wrote the message the action is about (for `edit` and `delete`). */
  readonly own?: boolean;
  /** The caller's token has been revoked since it was verified (a socket's recheck). */
  readonly revoked?: boolean;
  /**
   * The role, in this room, of the user acted on (a ban, a mute, a membership
   * change): the caller must outrank it ({@linkcode outranks}).
   */
  readonly target?: Role;
}

/** Why a decision refused: each is one error type, one status and one close code. */
export type Refusal =
  | "TOKEN_REVOKED"
  | "INVALID_AUTH_TOKEN"
  | "NOT_A_MEMBER"
  | "BANNED"
  | "USER_BANNED"
  | "MUTED"
  | "FORBIDDEN";

/** Roles that pass a private room's gate. */
const INSIDERS: ReadonlySet<Role> = new Set(["member", "moderator", "owner", "admin"]);

/** Actions a mute refuses: those that put text before the room. */
const SPEAKING: ReadonlySet<Action> = new Set(["send", "edit"]);

/**
 * Decides one action, considering in this order: a revoked token, a server ban (every action
 * of a signed-in caller), an anonymous caller asking for more than reading, a
 * private room's gate (members and admins only), a room ban (admins are
 * exempt), the table (with `own` for `edit` and `delete`), the rank of the
 * user acted on (`target`), and a mute (`send` and `edit`; admins are exempt).
 *
 * @returns `undefined` when allowed, otherwise why not
 */
export function decide(action: Action, facts: Facts): Refusal | undefined {
  const { role } = facts;
  if (facts.revoked === true) return "TOKEN_REVOKED";
  if (facts.serverBanned && role !== "anonymous" && role !== "admin") return "USER_BANNED";
  const grant = PERMISSIONS[action][role];
  if (role === "anonymous" && grant === "none") return "INVALID_AUTH_TOKEN";
  if (facts.visibility === "private" && !INSIDERS.has(role)) {
    return role === "anonymous" ? "INVALID_AUTH_TOKEN" : "NOT_A_MEMBER";
  }
  // Restrictions are of users: an anonymous caller has none.
  if (facts.banned && role !== "admin" && role !== "anonymous") return "BANNED";
  if (grant === "none" || (grant === "own" && facts.own !== true)) return "FORBIDDEN";
  if (facts.target !== undefined && !outranks(role, facts.target)) return "FORBIDDEN";
  if (facts.muted && role !== "admin" && SPEAKING.has(action)) return "MUTED";
  return undefined;
}

/** The rank of a role, for acting on another user: higher acts on lower. */
const RANK: Readonly<Record<Role, number>> = {
  anonymous: 0,
  user: 1,
  member: 1,
  moderator: 2,
  owner: 3,
  admin: 4,
};

/**
 * Whether a caller may act on another user (ban, mute, change or end its
 * membership): only on a user of lower rank, so a moderator cannot ban the
 * owner, another moderator or itself, and nobody but another admin's peers
 * can touch an admin (which no one outranks).
 */
export function outranks(actor: Role, target: Role): boolean {
  return RANK[actor] > RANK[target];
}

/**
 * The action a membership change asks for: anything that makes, unmakes or
 * removes a moderator is `setRoles`; adding, keeping or removing a plain
 * member is `manageMembers`.
 *
 * @param current the target's role now (`user` when it is not a member)
 * @param next the role asked for; `undefined` to remove the membership
 */
export function membershipAction(current: Role, next: "member" | "moderator" | undefined): Action {
  return current === "moderator" || next === "moderator" ? "setRoles" : "manageMembers";
}

/** What a refusal says, and how a socket is closed for it. */
interface RefusalInfo {
  readonly error: (action: string) => AppError;
  readonly close: CloseReason;
}

/** The one mapping of each refusal to its error (403 / 401) and its close code. */
const REFUSALS: Readonly<Record<Refusal, RefusalInfo>> = {
  TOKEN_REVOKED: {
    error: (action) =>
      new AuthError("INVALID_AUTH_TOKEN", `Cannot ${action}: the token has been revoked`),
    close: CLOSE.TOKEN_REVOKED,
  },
  // A socket only meets it as an anonymous reader of a room that became private.
  INVALID_AUTH_TOKEN: {
    error: (action) =>
      new AuthError("INVALID_AUTH_TOKEN", `Cannot ${action}: a valid token is required`),
    close: CLOSE.KICKED,
  },
  NOT_A_MEMBER: {
    error: (action) =>
      new ForbiddenError("NOT_A_MEMBER", `Cannot ${action}: the room is private to its members`),
    close: CLOSE.KICKED,
  },
  BANNED: {
    error: (action) => new ForbiddenError("BANNED", `Cannot ${action}: you are banned from it`),
    close: CLOSE.BANNED,
  },
  USER_BANNED: {
    error: (action) =>
      new ForbiddenError("USER_BANNED", `Cannot ${action}: you are banned from this server`),
    close: CLOSE.BANNED,
  },
  MUTED: {
    error: (action) => new ForbiddenError("MUTED", `Cannot ${action}: you are muted there`),
    close: CLOSE.MUTED,
  },
  FORBIDDEN: {
    error: (action) => new ForbiddenError("FORBIDDEN", `Cannot ${action}: not allowed`),
    close: CLOSE.KICKED,
  },
};

/**
 * The typed error of a refusal.
 *
 * @param what the failed action in words, e.g. `join room "x"`
 */
export function refusalError(refusal: Refusal, what: string): AppError {
  return REFUSALS[refusal].error(what);
}

/** The close code a socket gets for a refusal (4001 `KICKED`, 4003 `BANNED`, 1008 …). */
export function refusalClose(refusal: Refusal): CloseReason {
  return REFUSALS[refusal].close;
}

/** The close codes of the refusals, by the error type they answer with. */
const CLOSE_BY_TYPE: ReadonlyMap<string, CloseReason> = new Map(
  (["NOT_A_MEMBER", "BANNED", "USER_BANNED", "MUTED", "FORBIDDEN"] as const).map((
    refusal,
  ) => [refusal, REFUSALS[refusal].close]),
);

/**
 * The close code of a refused request's error, for a socket that has no
 * error events (v1): `undefined` for an error that is not a refusal of this
 * table.
 */
export function closeOfRefusal(error: { readonly type: string }): CloseReason | undefined {
  return CLOSE_BY_TYPE.get(error.type);
}
