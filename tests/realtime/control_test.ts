/**
 * The control channel (src/realtime/control.ts): kicks, bans, revocations
 * and rechecks reach the registered sockets they name, on this node and on
 * another one over a BroadcastChannel bus (two nodes in one test), and no
 * others.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { CLOSE, type CloseReason } from "../../src/contract/mod.js";
import { type Bus, createBroadcastChannelBus, createMemoryBus } from "../../src/realtime/bus.ts";
import { Control, CONTROL_ROOM, type ControlledSocket } from "../../src/realtime/control.ts";
import type { RoomEvent } from "../../src/realtime/subscriptions.ts";
import type { Store, TokenRef } from "../../src/store/store.ts";
import { memoryStore } from "../_helpers/server.ts";

const T0 = Date.UTC(2026, 0, 1);

/** A socket that records how it was closed and how often it was rechecked. */
class FakeSocket implements ControlledSocket {
  closes: CloseReason[] = [];
  rechecks = 0;
  constructor(
    readonly room: string,
    readonly userId: number | undefined,
    readonly token: TokenRef | undefined,
  ) {}
  close(reason: CloseReason) {
    this.closes.push(reason);
  }
  recheck() {
    this.rechecks++;
  }
}

function socket(room: string, userId?: number, jti?: string, issuedAtMs = T0 - 1000): FakeSocket {
  return new FakeSocket(
    room,
    userId,
    userId === undefined ? undefined : { jti, userId, issuedAtMs },
  );
}

async function node(store: Store, bus: Bus<RoomEvent>, changes: string[] = []) {
  const revocations = new RevocationList({ store, now: () => T0, lookbackMs: 86_400_000 });
  await revocations.ready();
  const control = new Control({
    bus,
    revocations,
    onStandingChanged: (room, userId) => changes.push(`${room}:${userId}`),
  });
  return { revocations, control };
}

/** Two nodes on one BroadcastChannel name, and how to wait for the channel to deliver. */
async function twoNodes() {
  const store = await memoryStore("sqlite", () => T0);
  const name = `control-test-${crypto.randomUUID()}`;
  const busA = createBroadcastChannelBus<RoomEvent>(name);
  const busB = createBroadcastChannelBus<RoomEvent>(name);
  const changes: string[] = [];
  const a = await node(store, busA, changes);
  const b = await node(store, busB, changes);
  return {
    a,
    b,
    changes,
    store,
    async [Symbol.asyncDispose]() {
      a.control.close();
      b.control.close();
      busA.close();
      busB.close();
      await store.close();
    },
  };
}

/** Resolves once `check` holds (BroadcastChannel delivers in a later task), at most ~1 s. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), "did not happen in time");
}

Deno.test("Control: a kick closes the user's sockets of that room, here and on another node", async () => {
  await using nodes = await twoNodes();
  const here = socket("lobby", 7, "j1");
  const there = socket("lobby", 7, "j2");
  const elsewhere = socket("other", 7, "j3");
  const someoneElse = socket("lobby", 8, "j4");
  const reader = socket("lobby");
  nodes.a.control.register(here);
  for (const s of [there, elsewhere, someoneElse, reader]) nodes.b.control.register(s);
  nodes.a.control.closeUser(7, "lobby", "KICKED");
  assert.deepEqual(here.closes, [CLOSE.KICKED], "at once on the node that kicked");
  await until(() => there.closes.length > 0);
  assert.deepEqual(there.closes, [CLOSE.KICKED]);
  assert.deepEqual([elsewhere, someoneElse, reader].map((s) => s.closes.length), [0, 0, 0]);
  assert.deepEqual(nodes.changes, ["lobby:7", "lobby:7"], "both nodes forget the standing");
});

Deno.test("Control: a ban with no room closes the user's sockets in every room", async () => {
  await using nodes = await twoNodes();
  const sockets = [socket("a", 7), socket("b", 7), socket("a", 8)];
  for (const s of sockets) nodes.b.control.register(s);
  nodes.a.control.closeUser(7, null, "BANNED");
  await until(() => sockets[1]!.closes.length > 0);
  assert.deepEqual(sockets.map((s) => s.closes), [[CLOSE.BANNED], [CLOSE.BANNED], []]);
});

Deno.test("Control: a revoked token closes its sockets with TOKEN_REVOKED on every node", async () => {
  await using nodes = await twoNodes();
  const mine = socket("lobby", 7, "revoked");
  const otherDevice = socket("lobby", 7, "kept");
  nodes.b.control.register(mine);
  nodes.b.control.register(otherDevice);
  const revocation = await nodes.a.revocations.revokeToken("revoked", T0 + 60_000);
  nodes.a.control.revoked(revocation);
  await until(() => mine.closes.length > 0);
  assert.deepEqual(mine.closes, [CLOSE.TOKEN_REVOKED]);
  assert.deepEqual(otherDevice.closes, []);
  assert.equal(nodes.b.revocations.isRevoked(mine.token!), true, "the other node knows it now");
  // A socket registering later with that token is closed at once.
  const late = socket("lobby", 7, "revoked");
  nodes.b.control.register(late);
  assert.deepEqual(late.closes, [CLOSE.TOKEN_REVOKED]);
});

Deno.test("Control: a user's cutoff closes its sockets of older tokens only", async () => {
  await using nodes = await twoNodes();
  const old = socket("lobby", 7, "old", T0 - 10);
  const fresh = socket("lobby", 7, "fresh", T0 + 10);
  nodes.b.control.register(old);
  nodes.b.control.register(fresh);
  nodes.a.control.revoked(await nodes.a.revocations.revokeUser(7, T0));
  await until(() => old.closes.length > 0);
  assert.deepEqual(old.closes, [CLOSE.TOKEN_REVOKED]);
  assert.deepEqual(fresh.closes, []);
});

Deno.test("Control: the poll of the store closes what the bus did not carry", async () => {
  await using nodes = await twoNodes();
  const s = socket("lobby", 7, "quiet");
  nodes.b.control.register(s);
  // Revoked in the store by node A, never published on the channel.
  await nodes.a.revocations.revokeToken("quiet", T0 + 60_000);
  assert.deepEqual(s.closes, []);
  await nodes.b.revocations.refresh();
  assert.deepEqual(s.closes, [CLOSE.TOKEN_REVOKED]);
});

Deno.test("Control: a recheck reaches a room's sockets (or one user's) and no other room", async () => {
  const store = await memoryStore("sqlite", () => T0);
  const bus = createMemoryBus<RoomEvent>();
  const changes: string[] = [];
  const { control } = await node(store, bus, changes);
  try {
    const alice = socket("lobby", 7);
    const bob = socket("lobby", 8);
    const reader = socket("lobby");
    const away = socket("other", 7);
    const dispose = [alice, bob, reader, away].map((s) => control.register(s));
    control.recheck("lobby", 7);
    assert.deepEqual([alice, bob, reader, away].map((s) => s.rechecks), [1, 0, 0, 0]);
    control.recheck("lobby", null);
    assert.deepEqual([alice, bob, reader, away].map((s) => s.rechecks), [2, 1, 1, 0]);
    assert.deepEqual(changes, ["lobby:7", "lobby:null"]);
    assert.equal(control.size, 4);
    dispose[0]!();
    dispose[0]!();
    control.recheck("lobby", 7);
    assert.equal(alice.rechecks, 2, "unregistered");
    assert.equal(control.size, 3);
    // Something else on the control channel is ignored.
    bus.publish({ room: CONTROL_ROOM, type: "control", kind: "explode" } as unknown as RoomEvent);
    bus.publish({ room: CONTROL_ROOM } as RoomEvent);
    assert.equal(bob.closes.length + bob.rechecks, 1);
  } finally {
    control.close();
    bus.close();
    await store.close();
  }
});
