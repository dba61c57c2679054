/**
 * The audit log's writer: one entry per moderation action (who, what, whom,
 * where, when), written after the action took effect.
 *
 * @module
 */
import type { AuditEntry, ModerationStore } from "../store/store.ts";
import { type Actor, actorUser } from "./actor.ts";

/** The actions the audit log records. */
export type AuditAction =
  | "member.put"
  | "member.remove"
  | "message.delete"
  | "room.ban"
  | "room.unban"
  | "room.mute"
  | "room.unmute"
  | "user.ban"
  | "user.unban"
  | "user.disconnect";

/** One action to record. */
export interface AuditRecord {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly targetUserId?: number;
  readonly room?: string;
  /** Kept as JSON (a reason, an expiry, a role, a message's seq). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Writes audit entries. */
export class AuditLog {
  readonly #store: Pick<ModerationStore, "appendAudit">;
  readonly #now: () => number;

  constructor(options: { store: Pick<ModerationStore, "appendAudit">; now: () => number }) {
    this.#store = options.store;
    this.#now = options.now;
  }

  /** Records one action. */
  record(entry: AuditRecord): Promise<AuditEntry> {
    const user = actorUser(entry.actor);
    return this.#store.appendAudit({
      actor: user ? { id: user.id, username: user.username } : null,
      action: entry.action,
      targetUserId: entry.targetUserId ?? null,
      room: entry.room ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      atMs: this.#now(),
    });
  }
}
