/**
 * Test helper: a v2 room on a real `:memory:` SQLite store: the message
 * service, a memory bus, and the rooms of one node following the store's
 * event log (`eventLog` + `loggedWire`), as `createApp` wires them.
 *
 * @module
 */
import { RoomActions } from "../../src/chat/room_actions.ts";
import { authorPolicy } from "../../src/chat/room_policy.ts";
import type { PublicUser } from "../../src/model.ts";
import { createMemoryBus } from "../../src/realtime/bus.ts";
import { eventLog, type RoomLogEvent } from "../../src/realtime/event_log.ts";
import { Hub } from "../../src/realtime/hub.ts";
import { Rooms, type RoomsOptions } from "../../src/realtime/rooms.ts";
import type { Seat } from "../../src/realtime/seat.ts";
import { loggedWire } from "../../src/realtime/wire.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";

/** Alice and Bob, as the store keeps them. */
export const ALICE: PublicUser = { id: 1, username: "alice" };
export const BOB: PublicUser = { id: 2, username: "bob" };

/** Opens the room machinery; dispose it to close the store. */
export async function openV2Room(options: Partial<RoomsOptions<RoomLogEvent>> = {}) {
  const store = openSqliteStore({ path: ":memory:" });
  for (const name of ["alice", "bob"]) {
    await store.createUser({ username: name, canonical: name, passwordHash: "x" });
  }
  const bus = createMemoryBus();
  const reads: Array<{ room: string; user: number; seq: number; origin?: string }> = [];
  let n = 0;
  const actions = new RoomActions({
    store,
    bus,
    reads: { read: (room, user, seq, origin) => reads.push({ room, user: user.id, seq, origin }) },
    policy: authorPolicy,
    now: () => 1_764_000_000_000 + n * 1000,
    newId: () => `id-${++n}`,
  });
  const hub = new Hub<Seat<RoomLogEvent>>();
  const rooms = new Rooms<RoomLogEvent>({
    hub,
    bus,
    log: eventLog(store),
    wire: loggedWire(store),
    lingerMs: 0,
    gapTimeoutMs: 10,
    ...options,
  });
  return {
    store,
    bus,
    actions,
    rooms,
    hub,
    reads,
    /** Posts `text` as `user` in `room`. */
    post: (room: string, text: string, user = ALICE) => actions.post({ room, user, text }),
    async [Symbol.asyncDispose]() {
      rooms.clear();
      bus.close();
      await store.close();
    },
  };
}
