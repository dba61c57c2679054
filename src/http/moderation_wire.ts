/**
 * How rooms, memberships, restrictions and audit entries look in REST
 * answers (the shapes of `schemas/moderation.ts` and `schemas/admin.ts`):
 * times as ISO 8601 with milliseconds.
 *
 * @module
 */
import type { PublicUser } from "../model.ts";
import type { AuditEntry, Membership, Restriction, RoomRecord } from "../store/store.ts";

const isoOf = (ms: number | null) => ms === null ? null : new Date(ms).toISOString();

/** A room as the rooms routes return it. */
export function roomWire(room: RoomRecord) {
  return {
    name: room.name,
    title: room.title,
    visibility: room.visibility,
    ownerId: room.ownerId,
    direct: room.direct,
    createdAt: isoOf(room.createdAtMs),
    lastSeq: room.lastSeq,
    lastMessageAt: isoOf(room.lastMessageAtMs),
  };
}

/** A membership. */
export function membershipWire(membership: Membership) {
  return {
    room: membership.room,
    user: { id: membership.user.id, username: membership.user.username },
    role: membership.role,
    since: new Date(membership.sinceMs).toISOString(),
  };
}

/** A ban or mute with its user (`null` when that user no longer exists). */
export function restrictionWire(restriction: Restriction, user: PublicUser | undefined) {
  return {
    kind: restriction.kind,
    room: restriction.room,
    userId: restriction.userId,
    user: user ? { id: user.id, username: user.username } : null,
    until: isoOf(restriction.untilMs),
    reason: restriction.reason,
    byId: restriction.byId,
    at: new Date(restriction.atMs).toISOString(),
  };
}

/** An audit entry. */
export function auditWire(entry: AuditEntry) {
  return {
    id: entry.id,
    actor: entry.actor ? { id: entry.actor.id, username: entry.actor.username } : null,
    action: entry.action,
    targetUserId: entry.targetUserId,
    room: entry.room,
    detail: entry.detail,
    at: new Date(entry.atMs).toISOString(),
  };
}
