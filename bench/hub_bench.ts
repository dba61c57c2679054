/**
 * Micro-benchmark of the delivery path: one published message reaching 1,000
 * v1 members of a room through the bus, the room's stream and the hub
 * (encoded once, sent to each), wired as the server wires it (`eventLog`,
 * `loggedWire`). Members are fakes whose `send` only counts; the store
 * is a real in-memory SQLite store, read only when members join (the messages
 * are never stored, so the quiet check, which would take the empty store for
 * a reset one, is off). The `?batch=1` path flushes on a timer, so S1
 * measures it end to end instead.
 *
 * @module
 */
import type { LoggedMessage } from "../src/model.ts";
import { createMemoryBus } from "../src/realtime/bus.ts";
import { eventLog, type RoomLogEvent } from "../src/realtime/event_log.ts";
import { Hub, type Member } from "../src/realtime/hub.ts";
import { Rooms } from "../src/realtime/rooms.ts";
import type { Seat } from "../src/realtime/seat.ts";
import { loggedWire } from "../src/realtime/wire.ts";
import { openSqliteStore } from "../src/store/sqlite_store.ts";

const MEMBERS = 1000;

const store = openSqliteStore({ path: ":memory:" });
const bus = createMemoryBus<RoomLogEvent>();
const hub = new Hub<Seat<RoomLogEvent>>();
const rooms = new Rooms<RoomLogEvent>({
  hub,
  bus,
  log: eventLog(store),
  wire: loggedWire(store),
  quietCheckMs: 0,
});
let frames = 0;
for (let i = 0; i < MEMBERS; i++) {
  const member: Member = {
    user: { id: 1 + (i % 10), username: `user${i % 10}` },
    batch: false,
    send: () => void frames++,
  };
  await rooms.join("lobby", member);
}
const template: LoggedMessage = {
  type: "message",
  id: "00000000-0000-4000-8000-000000000000",
  seq: 0,
  room: "lobby",
  sender: { id: 1, username: "user1" },
  text: "hello everyone, how is it going today?",
  createTime: 1_732_540_000,
  createdAt: "2024-11-25T13:06:40.000Z",
  nonce: "c-1732540000-42",
};
let seq = 0;
const publish = () => bus.publish({ ...template, seq: ++seq });

publish();
if (frames !== MEMBERS) throw new Error(`one message reached ${frames} of ${MEMBERS} members`);

Deno.bench(`hub: deliver one message to ${MEMBERS} members`, { group: "hub" }, () => {
  publish();
});
