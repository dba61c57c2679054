import assert from "node:assert/strict";
import type { PublicUser } from "../../src/model.ts";
import { type OccupancyChange, RoomOccupancy } from "../../src/realtime/occupancy.ts";

const user = (id: number): PublicUser => ({ id, username: `u${id}` });
const ids = (change: OccupancyChange) => ({
  joined: change.joined.map((u) => u.id),
  left: change.left.map((u) => u.id),
});
const none = { joined: [], left: [] };

function occupancy() {
  let now = 1_000;
  const room = new RoomOccupancy({
    now: () => now,
    expiryMs: 300,
    unconfirmedMs: 150,
    departedMs: 100,
  });
  return { room, advance: (ms: number) => void (now += ms) };
}

Deno.test("enter() reports a user's first socket and its join, and only once for two sockets", () => {
  const { room } = occupancy();
  const first = room.enter(user(1));
  assert.equal(first.first, true);
  assert.deepEqual(ids(first.change), { joined: [1], left: [] });
  const second = room.enter(user(1));
  assert.equal(second.first, false);
  assert.deepEqual(ids(second.change), none);
  assert.deepEqual(room.localUsers(), [user(1)]);
});

Deno.test("exit() reports the leave only when the user's last socket here leaves and no node holds it", () => {
  const { room } = occupancy();
  room.enter(user(1));
  room.enter(user(1));
  room.here("b", user(1));
  assert.deepEqual(room.exit(user(1)), { last: false, change: none });
  const last = room.exit(user(1));
  assert.equal(last.last, true);
  assert.deepEqual(ids(last.change), none, "node b still holds user 1");
  assert.deepEqual(ids(room.gone("b", user(1))), { joined: [], left: [1] });
  assert.deepEqual(room.users(), []);
  assert.equal(room.exit(user(1)).last, false, "an exit without an enter does nothing");
});

Deno.test("here() and gone() of other nodes join and leave a user once across nodes", () => {
  const { room } = occupancy();
  assert.deepEqual(ids(room.here("b", user(2))), { joined: [2], left: [] });
  assert.deepEqual(ids(room.here("c", user(2))), none);
  assert.deepEqual(ids(room.gone("b", user(2))), none);
  assert.deepEqual(ids(room.gone("c", user(2))), { joined: [], left: [2] });
  assert.deepEqual(ids(room.gone("c", user(2))), none, "a second gone does nothing");
});

Deno.test("holders() replaces a node's users: the new join, the dropped leave", () => {
  const { room } = occupancy();
  room.enter(user(1));
  assert.deepEqual(ids(room.holders("b", [user(1), user(2), user(3)])), {
    joined: [2, 3],
    left: [],
  });
  assert.deepEqual(ids(room.holders("b", [user(3), user(4)])), { joined: [4], left: [2] });
  assert.deepEqual(ids(room.holders("b", [])), { joined: [], left: [3, 4] });
  assert.deepEqual(room.users(), [user(1)]);
});

Deno.test("sweep() drops a node that stopped refreshing, and its users leave", () => {
  const { room, advance } = occupancy();
  room.here("b", user(2));
  room.here("c", user(3));
  advance(200);
  room.holders("c", [user(3)]); // c refreshes, b does not
  advance(150);
  assert.deepEqual(ids(room.sweep()), { joined: [], left: [2] });
  assert.deepEqual(room.users(), [user(3)]);
  assert.deepEqual(ids(room.sweep()), none);
});

Deno.test("seed() counts users the store names until a node confirms them or they lapse", () => {
  const { room, advance } = occupancy();
  room.enter(user(1));
  assert.deepEqual(ids(room.seed([user(1), user(5), user(6)])), { joined: [5, 6], left: [] });
  assert.deepEqual(ids(room.holders("b", [user(5)])), none, "confirmed by b: no second join");
  advance(160);
  assert.deepEqual(ids(room.sweep()), { joined: [], left: [6] }, "nobody confirmed 6");
  assert.deepEqual(room.users(), [user(1), user(5)]);
});

Deno.test("seed() leaves out a user that just left (the store's presence lags)", () => {
  const { room, advance } = occupancy();
  room.here("b", user(2));
  room.gone("b", user(2));
  assert.deepEqual(ids(room.seed([user(2)])), none);
  advance(120);
  room.sweep();
  assert.deepEqual(ids(room.seed([user(2)])), { joined: [2], left: [] }, "long enough ago");
});

Deno.test("a gone() from any node ends an unconfirmed user", () => {
  const { room } = occupancy();
  room.seed([user(7)]);
  assert.deepEqual(ids(room.gone("z", user(7))), { joined: [], left: [7] });
});

Deno.test("users() lists everyone once, by id, from every source", () => {
  const { room } = occupancy();
  room.enter(user(3));
  room.here("b", user(1));
  room.here("c", user(3));
  room.seed([user(2)]);
  assert.deepEqual(room.users(), [user(1), user(2), user(3)]);
  assert.equal(room.hasLocalUsers, true);
});
