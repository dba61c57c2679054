/**
 * The store contract: bans, mutes, server bans, token revocation and the
 * audit log (CONTRACT §7).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { NewAuditEntry, Restriction } from "../../../src/store/store.ts";
import { type ContractTest, openScoped, type StoreFactory, T0 } from "./helpers.ts";

const ban = (fields: Partial<Restriction> = {}): Restriction => ({
  kind: "ban",
  room: "lobby",
  userId: 2,
  untilMs: T0 + 1000,
  reason: "spam",
  byId: 1,
  atMs: T0,
  ...fields,
});

const HOUR = 3_600_000;

/** Registers this part of the store contract. */
export function moderationContract(test: ContractTest, open: StoreFactory): void {
  test("a room ban applies until it lapses, apart from mutes, other rooms and the server", async () => {
    await using s = await openScoped(open);
    const put = await s.store.putRestriction(ban());
    assert.deepEqual(put, ban());
    assert.deepEqual(await s.store.findRestriction("ban", "lobby", 2, T0 + 999), ban());
    assert.equal(await s.store.findRestriction("ban", "lobby", 2, T0 + 1000), undefined);
    assert.equal(await s.store.findRestriction("mute", "lobby", 2, T0), undefined);
    assert.equal(await s.store.findRestriction("ban", "other", 2, T0), undefined);
    assert.equal(await s.store.findRestriction("ban", null, 2, T0), undefined);
    assert.equal(await s.store.findRestriction("ban", "lobby", 3, T0), undefined);
    assert.equal(await s.store.removeRestriction("ban", "lobby", 2), true);
    assert.equal(await s.store.removeRestriction("ban", "lobby", 2), false);
    assert.equal(await s.store.findRestriction("ban", "lobby", 2, T0), undefined);
  });

  test("putRestriction() replaces the one before; untilMs null never lapses", async () => {
    await using s = await openScoped(open);
    await s.store.putRestriction(ban({ kind: "mute", untilMs: T0 + 10 }));
    const forever = ban({ kind: "mute", untilMs: null, reason: null, byId: null, atMs: T0 + 5 });
    await s.store.putRestriction(forever);
    assert.deepEqual(
      await s.store.findRestriction("mute", "lobby", 2, T0 + 100 * 365 * 24 * HOUR),
      forever,
    );
    assert.deepEqual(await s.store.listRestrictions("mute", "lobby", T0 + 11), [forever]);
  });

  test("listRestrictions() lists those in force at a time, by user id, per kind and scope", async () => {
    await using s = await openScoped(open);
    for (const userId of [3, 1, 2]) {
      await s.store.putRestriction(ban({ userId, untilMs: userId === 2 ? T0 + 10 : null }));
    }
    await s.store.putRestriction(ban({ kind: "mute", userId: 4 }));
    await s.store.putRestriction(ban({ room: "other", userId: 5 }));
    const server = ban({ room: null, userId: 6, untilMs: null, reason: "abuse" });
    await s.store.putRestriction(server);
    const ids = async (...args: Parameters<typeof s.store.listRestrictions>) =>
      (await s.store.listRestrictions(...args)).map((r) => r.userId);
    assert.deepEqual(await ids("ban", "lobby", T0), [1, 2, 3]);
    assert.deepEqual(await ids("ban", "lobby", T0 + 10), [1, 3]);
    assert.deepEqual(await ids("mute", "lobby", T0), [4]);
    assert.deepEqual(await ids("ban", "other", T0), [5]);
    assert.deepEqual(await s.store.listRestrictions("ban", null, T0), [server]);
    assert.deepEqual(await s.store.findRestriction("ban", null, 6, T0 + 1e12), server);
    assert.deepEqual(await ids("mute", null, T0), []);
  });

  test("isTokenRevoked() knows a revoked jti and a user's older tokens; the cutoff only moves forward", async () => {
    await using s = await openScoped(open);
    await s.store.revokeToken("jti-1", T0 + HOUR, T0);
    const token = (fields: { jti?: string; userId?: number; issuedAtMs?: number }) => ({
      userId: 1,
      issuedAtMs: T0 - 1000,
      ...fields,
    });
    assert.equal(await s.store.isTokenRevoked(token({ jti: "jti-1" })), true);
    assert.equal(await s.store.isTokenRevoked(token({ jti: "jti-2" })), false);
    assert.equal(await s.store.isTokenRevoked(token({})), false);
    await s.store.revokeUserTokens(1, T0 + 500);
    assert.equal(await s.store.isTokenRevoked(token({ issuedAtMs: T0 + 499 })), true);
    assert.equal(await s.store.isTokenRevoked(token({ jti: "jti-3", issuedAtMs: T0 + 499 })), true);
    assert.equal(await s.store.isTokenRevoked(token({ issuedAtMs: T0 + 500 })), false);
    assert.equal(await s.store.isTokenRevoked(token({ userId: 2, issuedAtMs: T0 })), false);
    await s.store.revokeUserTokens(1, T0);
    assert.equal(await s.store.isTokenRevoked(token({ issuedAtMs: T0 + 100 })), true);
  });

  test("listRevocations() reports what was revoked after a time, oldest first", async () => {
    await using s = await openScoped(open);
    await s.store.revokeToken("jti-a", T0 + HOUR, T0 + 10);
    await s.store.revokeUserTokens(7, T0 + 20);
    await s.store.revokeToken("jti-b", T0 + HOUR, T0 + 30);
    await s.store.revokeUserTokens(7, T0 + 5); // does not move the cutoff back, reports nothing new
    assert.deepEqual(await s.store.listRevocations(T0), [
      { kind: "token", jti: "jti-a", expiresAtMs: T0 + HOUR, atMs: T0 + 10 },
      { kind: "user", userId: 7, beforeMs: T0 + 20, atMs: T0 + 20 },
      { kind: "token", jti: "jti-b", expiresAtMs: T0 + HOUR, atMs: T0 + 30 },
    ]);
    assert.deepEqual((await s.store.listRevocations(T0 + 10)).map((r) => r.atMs), [
      T0 + 20,
      T0 + 30,
    ]);
    assert.deepEqual(await s.store.listRevocations(T0 + 30), []);
  });

  test("appendAudit() records entries with increasing ids; listAudit() pages them newest first", async () => {
    await using s = await openScoped(open);
    const entries: NewAuditEntry[] = [
      {
        actor: { id: 1, username: "alice" },
        action: "room.ban",
        targetUserId: 2,
        room: "lobby",
        detail: '{"reason":"spam"}',
        atMs: T0,
      },
      { actor: null, action: "user.ban", targetUserId: 3, room: null, detail: null, atMs: T0 + 1 },
      {
        actor: { id: 1, username: "alice" },
        action: "message.delete",
        targetUserId: 2,
        room: "lobby",
        detail: "seq 4",
        atMs: T0 + 2,
      },
    ];
    const stored = [];
    for (const entry of entries) stored.push(await s.store.appendAudit(entry));
    stored.forEach((entry, i) => assert.deepEqual(entry, { ...entries[i], id: entry.id }));
    assert.ok(stored[0]!.id < stored[1]!.id && stored[1]!.id < stored[2]!.id);
    assert.deepEqual(await s.store.listAudit({ limit: 2 }), [stored[2], stored[1]]);
    assert.deepEqual(await s.store.listAudit({ before: stored[1]!.id, limit: 10 }), [stored[0]]);
    assert.deepEqual(await s.store.listAudit({ limit: 10 }), [...stored].reverse());
  });
}
