/**
 * The moderation part of the {@linkcode import("../store.ts").Store}
 * (CONTRACT §7): room bans and mutes and server-wide bans (all
 * "restrictions"), token revocation, and the audit log. The store records;
 * the permission table decides who may, and the moderation service writes an
 * audit entry for every action it takes.
 *
 * @module
 */
import type { PublicUser } from "../../model.ts";

/** A ban keeps a user out (of a room, or with `room: null` of the server); a mute keeps it from sending. */
export type RestrictionKind = "ban" | "mute";

/** One restriction of one user. Times are milliseconds since the epoch. */
export interface Restriction {
  readonly kind: RestrictionKind;
  /** The room it applies in; `null` for the whole server. */
  readonly room: string | null;
  readonly userId: number;
  /** When it lapses; `null` for never. It applies while `atMs < untilMs`. */
  readonly untilMs: number | null;
  readonly reason: string | null;
  /** Who put it; `null` for the server API (`ADMIN_API_KEY`). */
  readonly byId: number | null;
  /** When it was put. */
  readonly atMs: number;
}

/** What a token check needs of a verified token. */
export interface TokenRef {
  /** The token's `jti`, when it has one. */
  readonly jti?: string;
  readonly userId: number;
  /** The token's `iat` in milliseconds (`iat * 1000`). */
  readonly issuedAtMs: number;
}

/** One revocation, as {@linkcode ModerationStore.listRevocations} reports it. */
export type Revocation =
  | {
    readonly kind: "token";
    readonly jti: string;
    /** When the token expires anyway; the record is dropped after it. */
    readonly expiresAtMs: number;
    readonly atMs: number;
  }
  | {
    readonly kind: "user";
    readonly userId: number;
    /** Every token of the user issued before this is revoked. */
    readonly beforeMs: number;
    readonly atMs: number;
  };

/** What {@linkcode ModerationStore.appendAudit} records. */
export interface NewAuditEntry {
  /** Who acted; `null` for the server API. */
  readonly actor: PublicUser | null;
  /** What was done, e.g. `"room.ban"`, `"message.delete"`, `"user.ban"`. */
  readonly action: string;
  /** The user acted on, when there is one. */
  readonly targetUserId: number | null;
  /** The room it happened in, when there is one. */
  readonly room: string | null;
  /** Free text (or JSON) the action wants kept, e.g. the reason and expiry. */
  readonly detail: string | null;
  readonly atMs: number;
}

/** A recorded audit entry. */
export interface AuditEntry extends NewAuditEntry {
  /** Increasing with each entry. */
  readonly id: number;
}

/** Restrictions, revocations and the audit log. */
export interface ModerationStore {
  /** Puts (or replaces) the restriction of `kind` on that user in that room (or server). */
  putRestriction(restriction: Restriction): Promise<Restriction>;
  /** @returns whether there was one to remove */
  removeRestriction(kind: RestrictionKind, room: string | null, userId: number): Promise<boolean>;
  /** The restriction in force on that user at `atMs` (an expired one is `undefined`). */
  findRestriction(
    kind: RestrictionKind,
    room: string | null,
    userId: number,
    atMs: number,
  ): Promise<Restriction | undefined>;
  /** Every restriction of `kind` in force at `atMs` in that room (or server), by user id. */
  listRestrictions(
    kind: RestrictionKind,
    room: string | null,
    atMs: number,
  ): Promise<Restriction[]>;

  /** Revokes one token by its `jti` until it would expire anyway. */
  revokeToken(jti: string, expiresAtMs: number, atMs: number): Promise<void>;
  /** Revokes every token of a user issued before `beforeMs` (the cutoff only moves forward). */
  revokeUserTokens(userId: number, beforeMs: number): Promise<void>;
  /**
   * Whether a token is revoked: its `jti` was, or it was issued before its
   * user's cutoff (`issuedAtMs < beforeMs`). JWT `iat` has whole seconds, so
   * pass a cutoff the new tokens of that same second are not caught by.
   */
  isTokenRevoked(token: TokenRef): Promise<boolean>;
  /**
   * Revocations recorded after `sinceMs`, oldest first, so every isolate can
   * poll them (every few seconds, overlapping a little) and close the sockets
   * they name. The feed reaches back at least one day.
   */
  listRevocations(sinceMs: number): Promise<Revocation[]>;

  /** Records one moderation action. */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Audit entries newest first, `before` an entry id (exclusive) when given. */
  listAudit(options: { readonly before?: number; readonly limit: number }): Promise<AuditEntry[]>;
}
