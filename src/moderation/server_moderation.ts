/**
 * Server-wide moderation (CONTRACT §7): server bans by admins (login refused,
 * tokens revoked, sockets closed with 4003 everywhere), the server API's
 * disconnect, logout (revoking one token or all of a user's), and reading the
 * audit log. Decided by the permission table, recorded in the audit log,
 * told to every node through the control channel.
 *
 * @module
 */
import { refusalError } from "../auth/permissions.ts";
import type { RevocationList } from "../auth/revocation_list.ts";
import type { RoomAccess, Standing } from "../auth/room_access.ts";
import type { TokenClaims } from "../auth/tokens.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { Control } from "../realtime/control.ts";
import type { AuditEntry, Restriction, Store } from "../store/store.ts";
import type { Actor } from "./actor.ts";
import type { AuditLog } from "./audit_log.ts";
import type { RestrictionInput } from "./room_moderation.ts";

/** What {@linkcode ServerModeration} needs of the store. */
export type ServerModerationStore = Pick<
  Store,
  "putRestriction" | "removeRestriction" | "listAudit" | "findUserById"
>;

/** Dependencies of {@linkcode ServerModeration}. */
export interface ServerModerationOptions {
  readonly store: ServerModerationStore;
  readonly access: RoomAccess;
  readonly control: Control;
  readonly revocations: RevocationList;
  readonly audit: AuditLog;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** Server bans, disconnects, logout and the audit log. */
export class ServerModeration {
  readonly #options: ServerModerationOptions;

  constructor(options: ServerModerationOptions) {
    this.#options = options;
  }

  /**
   * Bans a user from the server: its sockets close with 4003 `BANNED` on every
   * node, every token it holds is revoked, and its logins are refused with
   * `USER_BANNED` until the ban lapses or is lifted.
   */
  async banUser(actor: Actor, userId: number, input: RestrictionInput): Promise<Restriction> {
    const now = this.#options.now();
    if (input.untilMs !== undefined && input.untilMs <= now) {
      throw new ValidationError("BAD_BINDING", 'Field "until" must be a time in the future');
    }
    const target = await this.#user(userId);
    this.#authorize(actor, `ban user ${userId} from the server`, target);
    const restriction = await this.#options.store.putRestriction({
      kind: "ban",
      room: null,
      userId,
      untilMs: input.untilMs ?? null,
      reason: input.reason ?? null,
      byId: actor.kind === "user" ? actor.user.id : null,
      atMs: now,
    });
    // The sockets close as banned before the revocation would close them as revoked.
    this.#options.control.closeUser(userId, null, "BANNED");
    this.#options.control.revoked(await this.#options.revocations.revokeUser(userId, now + 1));
    await this.#options.audit.record({
      actor,
      action: "user.ban",
      targetUserId: userId,
      detail: { until: input.untilMs ?? null, reason: input.reason ?? null },
    });
    return restriction;
  }

  /**
   * Lifts a server ban (the tokens revoked by it stay revoked: the user logs in again).
   *
   * @returns whether there was one
   */
  async unbanUser(actor: Actor, userId: number): Promise<boolean> {
    const target = await this.#user(userId);
    this.#authorize(actor, `lift the server ban of user ${userId}`, target);
    const removed = await this.#options.store.removeRestriction("ban", null, userId);
    if (removed) {
      await this.#options.audit.record({ actor, action: "user.unban", targetUserId: userId });
      // Every node forgets the standings it kept of the user.
      this.#options.control.recheck(null, userId);
    }
    return removed;
  }

  /** Closes a user's sockets in one room or everywhere, on every node, with 4001 `KICKED`. */
  async disconnect(actor: Actor, userId: number, room: string | null): Promise<void> {
    const target = await this.#user(userId);
    this.#authorize(actor, `disconnect user ${userId}`, target);
    this.#options.control.closeUser(userId, room, "KICKED");
    await this.#options.audit.record({
      actor,
      action: "user.disconnect",
      targetUserId: userId,
      room: room ?? undefined,
    });
  }

  /**
   * Revokes the caller's token, or with `all` every token of the caller (a
   * token issued before this moment): REST refuses it here at once and on
   * every node within seconds; its sockets close with 1008 `TOKEN_REVOKED`.
   */
  async logout(claims: TokenClaims, all: boolean): Promise<void> {
    const { revocations, control } = this.#options;
    let revocation;
    // A cutoff just past now: every token issued up to this millisecond, this one included.
    if (all) revocation = await revocations.revokeUser(claims.userId, this.#options.now() + 1);
    else if (claims.jti !== undefined) {
      revocation = await revocations.revokeToken(claims.jti, claims.exp * 1000);
    } else {
      // A token without a jti (from before they existed) can only be cut off with its second.
      revocation = await revocations.revokeUser(claims.userId, claims.issuedAtMs + 1000);
    }
    control.revoked(revocation);
  }

  /** Audit entries, newest first, for admins. */
  async listAudit(
    actor: Actor,
    page: { readonly before?: number; readonly limit: number },
  ): Promise<AuditEntry[]> {
    this.#authorize(actor, "read the audit log");
    return await this.#options.store.listAudit(page);
  }

  async #user(userId: number): Promise<PublicUser> {
    const user = await this.#options.store.findUserById(userId);
    if (!user) throw new NotFoundError("USER_NOT_FOUND", `Cannot find user ${userId}`);
    return user;
  }

  /**
   * Checks a server action (`admin` in the table); `target`, when given, must
   * be outranked (an admin cannot be banned).
   */
  #authorize(actor: Actor, what: string, target?: PublicUser): Standing {
    const { access } = this.#options;
    const standing = access.serverWideStanding(actor.kind === "server" ? "server" : actor.user);
    const targetRole = target === undefined ? undefined : access.isAdmin(target) ? "admin" : "user";
    const refusal = access.decide(standing, "admin", { target: targetRole });
    if (refusal) throw refusalError(refusal, what);
    return standing;
  }
}
