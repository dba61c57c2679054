/**
 * Gathers what the permission table decides on: a caller's {@linkcode Standing}
 * in a room (its role, the room's visibility, the bans and mutes in force),
 * read from the store in one round of parallel reads, and checks an action
 * against it with `permissions.ts`.
 *
 * A room that was never created nor written to is public and ownerless, as in
 * v1, except a name of the direct-message form (`dm:<id>:<id>`) that is not
 * such a room: it is private with no members, so nobody can take the name
 * before the two users open it.
 *
 * @module
 */
import type { PublicUser } from "../model.ts";
import { parseDirectRoomName } from "../store/direct_room.ts";
import type { Restriction, RoomRecord, Store } from "../store/store.ts";
import {
  type Action,
  decide,
  type Facts,
  type Refusal,
  refusalError,
  type Role,
} from "./permissions.ts";
import { canonicalUsername } from "./username.ts";

/** What {@linkcode RoomAccess} reads. */
export type AccessStore = Pick<
  Store,
  "getRoom" | "getMembership" | "findRestriction" | "findUserById"
>;

/** Dependencies of {@linkcode RoomAccess}. */
export interface RoomAccessOptions {
  readonly store: AccessStore;
  /** `ADMIN_USERNAMES`, caseless (as `loadConfig` gives them). */
  readonly adminUsernames: readonly string[];
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** A caller's standing in one room, as read at one moment. */
export interface Standing {
  readonly room: string;
  /** `undefined` for a room neither created nor written to. */
  readonly record: RoomRecord | undefined;
  /** `undefined` for an anonymous caller. */
  readonly user: PublicUser | undefined;
  readonly role: Role;
  readonly visibility: "public" | "private";
  readonly ban: Restriction | undefined;
  readonly mute: Restriction | undefined;
  readonly serverBan: Restriction | undefined;
}

/** A user acted on, with its roles in a room (see {@linkcode RoomAccess.roleOf}). */
export interface Target {
  readonly user: PublicUser;
  readonly role: Role;
  readonly memberRole: Role;
}

/** What a decision may know beside the caller's standing. */
export type Extra = Pick<Facts, "own" | "revoked" | "target">;

/** Whether a restriction read earlier is still in force at `atMs`. */
function inForce(restriction: Restriction | undefined, atMs: number): boolean {
  return restriction !== undefined && (restriction.untilMs === null || atMs < restriction.untilMs);
}

/** The facts of a standing at `atMs`, for {@linkcode decide}. */
function factsOf(standing: Standing, atMs: number, extra: Extra = {}): Facts {
  return {
    role: standing.role,
    visibility: standing.visibility,
    banned: inForce(standing.ban, atMs),
    muted: inForce(standing.mute, atMs),
    serverBanned: inForce(standing.serverBan, atMs),
    ...extra,
  };
}

/** The visibility of a room as the permission table sees it. */
function visibilityOf(name: string, record: RoomRecord | undefined): "public" | "private" {
  if (record) return record.visibility;
  return parseDirectRoomName(name) ? "private" : "public";
}

/** A standing under no ban or mute, its visibility the room's (public for `""`, no room). */
function unrestricted(
  room: string,
  record: RoomRecord | undefined,
  user: PublicUser | undefined,
  role: Role,
): Standing {
  const visibility = room === "" ? "public" : visibilityOf(room, record);
  return {
    room,
    record,
    user,
    role,
    visibility,
    ban: undefined,
    mute: undefined,
    serverBan: undefined,
  };
}

/** Reads standings and checks actions. */
export class RoomAccess {
  readonly #store: AccessStore;
  readonly #admins: ReadonlySet<string>;
  readonly #now: () => number;

  constructor(options: RoomAccessOptions) {
    this.#store = options.store;
    this.#admins = new Set(options.adminUsernames);
    this.#now = options.now;
  }

  /** Whether a user is a server admin (named in `ADMIN_USERNAMES`). */
  isAdmin(user: PublicUser | undefined): boolean {
    return user !== undefined && this.#admins.size > 0 &&
      this.#admins.has(canonicalUsername(user.username));
  }

  /** The standing of the server API (`X-API-Key`) in a room: an admin under no restriction. */
  async serverStanding(room: string): Promise<Standing> {
    const record = await this.#store.getRoom(room);
    return unrestricted(room, record, undefined, "admin");
  }

  /**
   * A caller's standing for a server-wide action (no room, no reads): `admin`
   * for the server API and the users of `ADMIN_USERNAMES`, `user` otherwise.
   */
  serverWideStanding(caller: PublicUser | "server"): Standing {
    const admin = caller === "server" || this.isAdmin(caller);
    const user = caller === "server" ? undefined : caller;
    return unrestricted("", undefined, user, admin ? "admin" : "user");
  }

  /** A caller's standing in a room: one round of parallel reads (one read when anonymous). */
  async standing(user: PublicUser | undefined, room: string): Promise<Standing> {
    if (!user) return unrestricted(room, await this.#store.getRoom(room), user, "anonymous");
    const at = this.#now();
    const [record, membership, ban, mute, serverBan] = await Promise.all([
      this.#store.getRoom(room),
      this.#store.getMembership(room, user.id),
      this.#store.findRestriction("ban", room, user.id, at),
      this.#store.findRestriction("mute", room, user.id, at),
      this.#store.findRestriction("ban", null, user.id, at),
    ]);
    const role: Role = this.isAdmin(user) ? "admin" : membership?.role ?? "user";
    return {
      room,
      record,
      user,
      role,
      visibility: visibilityOf(room, record),
      ban,
      mute,
      serverBan,
    };
  }

  /** Decides an action on a standing read earlier, at the present time. */
  decide(standing: Standing, action: Action, extra: Extra = {}): Refusal | undefined {
    return decide(action, factsOf(standing, this.#now(), extra));
  }

  /**
   * Reads a caller's standing and checks an action against it.
   *
   * @param what the action in words for the error, e.g. `read room "x"`
   * @param options.authorId the author of the message acted on (`edit`, `delete`)
   * @returns the standing, when allowed
   * @throws {import("../errors.ts").AppError} the refusal's typed error (401 / 403)
   */
  async check(
    user: PublicUser | undefined,
    room: string,
    action: Action,
    what: string,
    options: { authorId?: number } = {},
  ): Promise<Standing> {
    const standing = await this.standing(user, room);
    const own = options.authorId !== undefined && user?.id === options.authorId;
    const refusal = this.decide(standing, action, { own });
    if (refusal) throw refusalError(refusal, what);
    return standing;
  }

  /**
   * The role another user has in a room, for a decision about it (`target`):
   * `role` counts a server admin as `admin` (for bans and mutes), `memberRole`
   * is its membership alone (`user` when none), for membership changes.
   *
   * @returns `undefined` when the user does not exist
   */
  async roleOf(room: string, userId: number): Promise<Target | undefined> {
    const [user, membership] = await Promise.all([
      this.#store.findUserById(userId),
      this.#store.getMembership(room, userId),
    ]);
    if (!user) return undefined;
    const memberRole: Role = membership?.role ?? "user";
    return { user, role: this.isAdmin(user) ? "admin" : memberRole, memberRole };
  }
}
