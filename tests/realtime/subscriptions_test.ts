import assert from "node:assert/strict";
import { type RoomEvent, Subscriptions } from "../../src/realtime/subscriptions.ts";

interface Event extends RoomEvent {
  readonly n: number;
}
const event = (room: string, n: number): Event => ({ room, n });

Deno.test("dispatch() hands an event to its room's handlers in the order they were added", () => {
  const subs = new Subscriptions<Event>();
  const got: string[] = [];
  subs.add("a", (e) => got.push(`first:${e.n}`));
  subs.add("a", (e) => got.push(`second:${e.n}`));
  subs.add("b", (e) => got.push(`b:${e.n}`));
  subs.dispatch(event("a", 1));
  subs.dispatch(event("nowhere", 2));
  assert.deepEqual(got, ["first:1", "second:1"]);
});

Deno.test("one handler added twice to a room is two subscriptions, each ended by its disposer", () => {
  const subs = new Subscriptions<Event>();
  const got: number[] = [];
  const handler = (e: Event) => got.push(e.n);
  const first = subs.add("a", handler);
  subs.add("a", handler);
  subs.dispatch(event("a", 1));
  first();
  first();
  subs.dispatch(event("a", 2));
  assert.deepEqual(got, [1, 1, 2]);
});

Deno.test("onFirst() and onLast() report a room's first and last subscriber only", () => {
  const log: string[] = [];
  const subs = new Subscriptions<Event>({
    onFirst: (room) => log.push(`first:${room}`),
    onLast: (room) => log.push(`last:${room}`),
  });
  const a1 = subs.add("a", () => {});
  const a2 = subs.add("a", () => {});
  const b = subs.add("b", () => {});
  assert.deepEqual(log, ["first:a", "first:b"]);
  a1();
  assert.deepEqual(log, ["first:a", "first:b"], "room a still has a subscriber");
  a2();
  a2();
  b();
  assert.deepEqual(log, ["first:a", "first:b", "last:a", "last:b"]);
  assert.ok(!subs.has("a"));
  subs.add("a", () => {});
  assert.deepEqual(log.at(-1), "first:a", "a room subscribed again is first again");
});

Deno.test("has() and rooms() list the rooms with handlers", () => {
  const subs = new Subscriptions<Event>();
  const off = subs.add("a", () => {});
  subs.add("b", () => {});
  assert.deepEqual([...subs.rooms()], ["a", "b"]);
  off();
  assert.deepEqual([...subs.rooms()], ["b"]);
  assert.ok(subs.has("b"));
});

Deno.test("clear() drops every handler without reporting, and old disposers then do nothing", () => {
  const log: string[] = [];
  const subs = new Subscriptions<Event>({ onLast: (room) => log.push(`last:${room}`) });
  const got: number[] = [];
  const off = subs.add("a", (e) => got.push(e.n));
  subs.clear();
  subs.dispatch(event("a", 1));
  const again = subs.add("a", (e) => got.push(e.n * 10));
  off(); // belongs to the cleared set: must not end the new subscription
  subs.dispatch(event("a", 2));
  assert.deepEqual(got, [20]);
  assert.deepEqual(log, []);
  again();
  assert.deepEqual(log, ["last:a"]);
});
