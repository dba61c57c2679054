/**
 * Room-level moderation (CONTRACT §7): creating rooms and direct-message
 * rooms, memberships with roles, bans and mutes. Each action is decided by
 * the permission table, done in the store, recorded in the audit log, and
 * then told to the user's sockets on every node through the control channel.
 *
 * @module
 */
import { type Action, membershipAction, refusalError } from "../auth/permissions.ts";
import type { RoomAccess, Standing, Target } from "../auth/room_access.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { Control } from "../realtime/control.ts";
import { parseDirectRoomName } from "../store/direct_room.ts";
import type {
  AssignableRole,
  Membership,
  Restriction,
  RestrictionKind,
  RoomRecord,
  RoomVisibility,
  Store,
} from "../store/store.ts";
import type { Actor } from "./actor.ts";
import type { AuditLog } from "./audit_log.ts";

/** What {@linkcode RoomModeration} needs of the store. */
export type RoomModerationStore = Pick<
  Store,
  | "createRoom"
  | "openDirectRoom"
  | "putMember"
  | "removeMember"
  | "listMembers"
  | "putRestriction"
  | "removeRestriction"
  | "listRestrictions"
  | "findUserById"
>;

/** Dependencies of {@linkcode RoomModeration}. */
export interface RoomModerationOptions {
  readonly store: RoomModerationStore;
  readonly access: RoomAccess;
  readonly control: Control;
  readonly audit: AuditLog;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** A new room as the route reads it. */
export interface RoomInput {
  readonly name: string;
  readonly visibility: RoomVisibility;
  readonly title?: string;
}

/** A ban or mute as the route reads it. */
export interface RestrictionInput {
  /** When it lapses; `undefined` for never. Must be in the future. */
  readonly untilMs?: number;
  readonly reason?: string;
}

/** A restriction with its user. */
export interface RestrictionOfUser extends Restriction {
  /** `undefined` when the user no longer exists. */
  readonly user: PublicUser | undefined;
}

/** Room creation, memberships, bans and mutes. */
export class RoomModeration {
  readonly #options: RoomModerationOptions;

  constructor(options: RoomModerationOptions) {
    this.#options = options;
  }

  /**
   * Creates a room the user owns. A private room closes the sockets already
   * joined to its name that may no longer read it (4001).
   *
   * @throws {ValidationError} `BAD_ROOM_NAME` for a name of the direct-message form
   * @throws {import("../errors.ts").ConflictError} `ROOM_EXISTS`
   */
  async createRoom(user: PublicUser, input: RoomInput): Promise<RoomRecord> {
    if (parseDirectRoomName(input.name)) {
      throw new ValidationError(
        "BAD_ROOM_NAME",
        `Cannot create room "${input.name}": names of the form dm:<id>:<id> are direct messages`,
      );
    }
    const room = await this.#options.store.createRoom({
      name: input.name,
      visibility: input.visibility,
      title: input.title,
      ownerId: user.id,
      createdAtMs: this.#options.now(),
    });
    if (room.visibility === "private") this.#options.control.recheck(room.name, null);
    return room;
  }

  /**
   * The direct-message room of the user and another: the same every time.
   *
   * @throws {ValidationError} `BAD_BINDING` for the user's own id
   * @throws {NotFoundError} `USER_NOT_FOUND`
   */
  async openDirect(user: PublicUser, otherId: number): Promise<RoomRecord> {
    if (otherId === user.id) {
      throw new ValidationError(
        "BAD_BINDING",
        'Field "userId" must be another user: a direct-message room is of two users',
      );
    }
    return await this.#options.store.openDirectRoom(user.id, otherId, this.#options.now());
  }

  /** A room's members, for whoever may read the room. */
  async listMembers(user: PublicUser | undefined, room: string): Promise<Membership[]> {
    await this.#options.access.check(user, room, "read", `list the members of room "${room}"`);
    return await this.#options.store.listMembers(room);
  }

  /**
   * Makes a user a member or moderator of a room, or changes its role.
   *
   * @throws {import("../errors.ts").AppError} a refusal, `USER_NOT_FOUND`, `ROOM_NOT_FOUND`
   */
  async setMember(
    actor: Actor,
    room: string,
    userId: number,
    role: AssignableRole,
  ): Promise<Membership> {
    const target = await this.#target(room, userId);
    const what = `make user ${userId} a ${role} of room "${room}"`;
    const action = membershipAction(target.memberRole, role);
    await this.#authorize(actor, room, action, what, target.memberRole);
    const membership = await this.#options.store.putMember(room, userId, role, this.#options.now());
    await this.#options.audit.record({
      actor,
      action: "member.put",
      targetUserId: userId,
      room,
      detail: { role },
    });
    this.#options.control.recheck(room, userId);
    return membership;
  }

  /**
   * Ends a membership. In a private room the user's sockets there close with
   * 4001 `KICKED` on every node.
   *
   * @returns whether there was one
   */
  async removeMember(actor: Actor, room: string, userId: number): Promise<boolean> {
    const target = await this.#target(room, userId);
    const what = `remove user ${userId} from room "${room}"`;
    const action = membershipAction(target.memberRole, undefined);
    const standing = await this.#authorize(actor, room, action, what, target.memberRole);
    const removed = await this.#options.store.removeMember(room, userId);
    if (!removed) return false;
    await this.#options.audit.record({
      actor,
      action: "member.remove",
      targetUserId: userId,
      room,
    });
    if (standing.visibility === "private" && target.role !== "admin") {
      this.#options.control.closeUser(userId, room, "KICKED");
    } else this.#options.control.recheck(room, userId);
    return true;
  }

  /**
   * Bans (sockets in the room close with 4003 on every node) or mutes a user
   * in a room, replacing a restriction of the same kind.
   */
  async restrict(
    actor: Actor,
    kind: RestrictionKind,
    room: string,
    userId: number,
    input: RestrictionInput,
  ): Promise<RestrictionOfUser> {
    const now = this.#options.now();
    if (input.untilMs !== undefined && input.untilMs <= now) {
      throw new ValidationError("BAD_BINDING", 'Field "until" must be a time in the future');
    }
    const target = await this.#target(room, userId);
    await this.#authorize(
      actor,
      room,
      "moderate",
      `${kind} user ${userId} in room "${room}"`,
      target.role,
    );
    const restriction = await this.#options.store.putRestriction({
      kind,
      room,
      userId,
      untilMs: input.untilMs ?? null,
      reason: input.reason ?? null,
      byId: actor.kind === "user" ? actor.user.id : null,
      atMs: now,
    });
    await this.#options.audit.record({
      actor,
      action: kind === "ban" ? "room.ban" : "room.mute",
      targetUserId: userId,
      room,
      detail: { until: input.untilMs ?? null, reason: input.reason ?? null },
    });
    if (kind === "ban") this.#options.control.closeUser(userId, room, "BANNED");
    else this.#options.control.recheck(room, userId);
    return { ...restriction, user: target.user };
  }

  /**
   * Lifts a ban or mute.
   *
   * @returns whether there was one
   */
  async lift(actor: Actor, kind: RestrictionKind, room: string, userId: number): Promise<boolean> {
    await this.#authorize(
      actor,
      room,
      "moderate",
      `lift the ${kind} of user ${userId} in room "${room}"`,
    );
    const removed = await this.#options.store.removeRestriction(kind, room, userId);
    if (!removed) return false;
    await this.#options.audit.record({
      actor,
      action: kind === "ban" ? "room.unban" : "room.unmute",
      targetUserId: userId,
      room,
    });
    // Every node forgets the standing it kept (the permission policy's cache).
    this.#options.control.recheck(room, userId);
    return true;
  }

  /** The bans or mutes in force in a room, with their users. */
  async listRestrictions(
    actor: Actor,
    kind: RestrictionKind,
    room: string,
  ): Promise<RestrictionOfUser[]> {
    await this.#authorize(actor, room, "moderate", `list the ${kind}s of room "${room}"`);
    const list = await this.#options.store.listRestrictions(kind, room, this.#options.now());
    return await Promise.all(list.map(async (restriction) => ({
      ...restriction,
      user: await this.#options.store.findUserById(restriction.userId),
    })));
  }

  /**
   * Checks an action of `actor` in `room` against the permission table.
   *
   * @param target the role of the user acted on, which the actor must outrank
   * @throws {import("../errors.ts").AppError} the refusal's typed error
   */
  async #authorize(
    actor: Actor,
    room: string,
    action: Action,
    what: string,
    target?: Target["role"],
  ): Promise<Standing> {
    const { access } = this.#options;
    const standing = actor.kind === "server"
      ? await access.serverStanding(room)
      : await access.standing(actor.user, room);
    const refusal = access.decide(standing, action, { target });
    if (refusal) throw refusalError(refusal, what);
    return standing;
  }

  async #target(room: string, userId: number): Promise<Target> {
    const target = await this.#options.access.roleOf(room, userId);
    if (!target) throw new NotFoundError("USER_NOT_FOUND", `Cannot find user ${userId}`);
    return target;
  }
}
