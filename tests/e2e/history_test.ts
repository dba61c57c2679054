/**
 * End-to-end tests of the history a socket gets when it joins (contract §3):
 * the latest 50, `?batch=1`, `?since=<seq>` resumes with no gap or duplicate
 * at the seam, even while the room keeps moving.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { PublicUser } from "../../src/model.ts";
import type { Store } from "../../src/store/store.ts";
import { getJson, seedMessages, signIn, startServer } from "../_helpers/server.ts";
import { connect, type RefusedHandshake, type TestSocket } from "../_helpers/ws_client.ts";

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Sends `count` messages over a socket and waits for their echoes. */
async function sendMessages(socket: TestSocket, count: number, prefix = "m"): Promise<void> {
  const before = socket.messages().length;
  for (let i = 1; i <= count; i++) socket.send({ text: `${prefix} ${i}` });
  await socket.waitForMessages(before + count, 10_000);
}

/** Appends straight to the store, for rooms with more history than a socket may send quickly. */
const seed = (store: Store, room: string, sender: PublicUser, count: number) =>
  seedMessages(store, room, sender, count, "seeded");

const ROOM_URL = (wsUrl: string, query = "") => `${wsUrl}/api/v1/rooms/lobby/ws${query}`;

Deno.test("a late joiner gets the latest 50 of 60 messages, oldest first, one per frame", async () => {
  await using server = await startServer({ env: { RATE_LIMIT_BURST: "100" } });
  const alice = await signIn(server, "alice");
  const sender = await connect(ROOM_URL(server.wsUrl), [alice.token]);
  await sendMessages(sender, 60);
  await sender.close();
  const late = await connect(ROOM_URL(server.wsUrl));
  try {
    const history = await late.waitForMessages(50);
    assert.deepEqual(history.map((m) => m.seq), range(11, 60));
    assert.deepEqual(history.map((m) => m.text), range(11, 60).map((i) => `m ${i}`));
    assert.equal(late.frames.length, 50);
    assert.ok(late.frames.every((frame) => frame.length === 1));
    // The live stream follows the history directly.
    const bob = await signIn(server, "bob");
    const live = await connect(ROOM_URL(server.wsUrl), [bob.token]);
    try {
      live.send({ text: "live" });
      const all = await late.waitForMessages(51);
      assert.deepEqual(all.map((m) => m.seq), range(11, 61));
      assert.equal(all[50]?.text, "live");
    } finally {
      await live.close();
    }
  } finally {
    await late.close();
  }
});

Deno.test("a joiner of an empty room gets no history, then the live stream from seq 1", async () => {
  await using server = await startServer();
  const alice = await signIn(server, "alice");
  const reader = await connect(ROOM_URL(server.wsUrl));
  const sender = await connect(ROOM_URL(server.wsUrl), [alice.token]);
  try {
    sender.send({ text: "first" });
    const [first] = await reader.waitForMessages(1);
    assert.equal(first?.seq, 1);
    assert.equal(first?.text, "first");
    assert.equal(reader.frames.length, 1);
  } finally {
    await sender.close();
    await reader.close();
  }
});

Deno.test("a joiner with ?batch=1 gets its history as one array", async () => {
  await using server = await startServer();
  const alice = await signIn(server, "alice");
  await seed(server.store, "lobby", alice.user, 60);
  const reader = await connect(ROOM_URL(server.wsUrl, "?batch=1"));
  try {
    await reader.waitForMessages(50);
    assert.equal(reader.frames.length, 1);
    assert.deepEqual(reader.frames[0]!.map((m) => m.seq), range(11, 60));
  } finally {
    await reader.close();
  }
});

Deno.test("a reconnect with ?since=N gets every message after N, past the 50 of a plain join, then live", async () => {
  await using server = await startServer();
  const alice = await signIn(server, "alice");
  await seed(server.store, "lobby", alice.user, 80);
  const resumed = await connect(ROOM_URL(server.wsUrl, "?since=5"), [alice.token]);
  try {
    const backlog = await resumed.waitForMessages(75);
    assert.deepEqual(backlog.map((m) => m.seq), range(6, 80));
    assert.equal(resumed.frames.length, 75);
    resumed.send({ text: "after the seam" });
    const all = await resumed.waitForMessages(76);
    assert.deepEqual(all.map((m) => m.seq), range(6, 81));
  } finally {
    await resumed.close();
  }
});

Deno.test("a reconnect with ?since=N&batch=1 gets its backlog as one array", async () => {
  await using server = await startServer();
  const alice = await signIn(server, "alice");
  await seed(server.store, "lobby", alice.user, 70);
  const resumed = await connect(ROOM_URL(server.wsUrl, "?since=10&batch=1"));
  try {
    await resumed.waitForMessages(60);
    assert.equal(resumed.frames.length, 1);
    assert.deepEqual(resumed.frames[0]!.map((m) => m.seq), range(11, 70));
  } finally {
    await resumed.close();
  }
});

Deno.test("a reconnect with ?since=lastSeq gets no backlog, only what comes next", async () => {
  await using server = await startServer();
  const alice = await signIn(server, "alice");
  await seed(server.store, "lobby", alice.user, 12);
  const resumed = await connect(ROOM_URL(server.wsUrl, "?since=12"), [alice.token]);
  try {
    resumed.send({ text: "next" });
    const [next] = await resumed.waitForMessages(1);
    assert.equal(next?.seq, 13);
    assert.equal(resumed.messages().length, 1);
  } finally {
    await resumed.close();
  }
});

Deno.test("a ?since resume sends at most 1,000 messages, the newest ones, with no gap to live", async () => {
  await using server = await startServer();
  const alice = await signIn(server, "alice");
  await seed(server.store, "lobby", alice.user, 1010);
  const resumed = await connect(ROOM_URL(server.wsUrl, "?since=0&batch=1"), [alice.token]);
  try {
    await resumed.waitForMessages(1000);
    assert.equal(resumed.frames.length, 1);
    assert.deepEqual(resumed.frames[0]!.map((m) => m.seq), range(11, 1010));
    resumed.send({ text: "live" });
    const all = await resumed.waitForMessages(1001);
    assert.equal(all[1000]?.seq, 1011);
  } finally {
    await resumed.close();
  }
});

for (const batch of [false, true]) {
  Deno.test(
    `a reader resuming 1,000 messages of 4,000 characters${
      batch ? " with batch=1" : ""
    } gets them all, not 1013`,
    async () => {
      // ~4 MB written in one turn: far past the 1 MiB bound on unsent data, which is for live traffic.
      await using server = await startServer();
      const alice = await signIn(server, "alice");
      for (let i = 1; i <= 1000; i++) {
        await server.store.appendMessage({
          id: crypto.randomUUID(),
          room: "lobby",
          sender: alice.user,
          text: `${i} `.padEnd(4000, "z"),
          createdAtMs: Date.now(),
        });
      }
      const resumed = await connect(ROOM_URL(server.wsUrl, `?since=0${batch ? "&batch=1" : ""}`));
      try {
        const all = await resumed.waitForMessages(1000, 20_000);
        assert.deepEqual(all.map((m) => m.seq), range(1, 1000));
        assert.equal(server.app.metrics.closes.get({ code: "1013", reason: "SLOW_CONSUMER" }), 0);
      } finally {
        await resumed.close();
      }
    },
  );
}

for (const batch of [false, true]) {
  const label = batch ? "?since&batch=1" : "?since";
  Deno.test(`reconnecting with ${label} while another client keeps sending loses and repeats nothing`, async () => {
    const total = 300;
    await using server = await startServer({
      env: { RATE_LIMIT_BURST: "1000", RATE_LIMIT_PER_SEC: "1000" },
    });
    const alice = await signIn(server, "alice");
    const bob = await signIn(server, "bob");
    const sender = await connect(ROOM_URL(server.wsUrl), [alice.token]);
    // Alice keeps sending at a bounded pace (a few ms apart) all through Bob's reconnects.
    const sending = (async () => {
      for (let i = 1; i <= total; i++) {
        sender.send({ text: `load ${i}` });
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await sender.waitForMessages(total, 10_000);
    })();

    const seen: number[] = [];
    let reconnects = 0;
    let lastSeen = 0;
    const deadline = Date.now() + 20_000;
    try {
      while (lastSeen < total && Date.now() < deadline) {
        const reader = await connect(
          ROOM_URL(server.wsUrl, `?since=${lastSeen}${batch ? "&batch=1" : ""}`),
          [bob.token],
        );
        reconnects++;
        // Read a few messages on this connection, then drop it mid-stream.
        const want = Math.min(total, lastSeen + 20 + reconnects);
        try {
          await reader.waitForMessages(1, 10_000);
          while (reader.messages().at(-1)!.seq < want) {
            await reader.waitForMessages(reader.messages().length + 1, 10_000);
          }
        } finally {
          await reader.close();
        }
        for (const message of reader.messages()) seen.push(message.seq);
        lastSeen = seen.at(-1) ?? 0;
      }
      await sending;
    } finally {
      await sender.close();
    }
    assert.ok(reconnects >= 5, `only ${reconnects} reconnects`);
    // Every seq, from the first, is seen exactly once across all the connections.
    assert.deepEqual(seen, range(1, total));
    const rest = await getJson(`${server.url}/api/v1/rooms/lobby`);
    assert.equal(rest.body.data.lastSeq, total);
  });
}

Deno.test("bad since or batch values get 400 BAD_QUERY before upgrading", async () => {
  await using server = await startServer();
  const bad = [
    "since=-1",
    "since=abc",
    "since=1.5",
    "since=",
    "since=1e3",
    "since=1&since=2",
    "batch=maybe",
    "batch=2",
  ];
  for (const query of bad) {
    for (const path of ["ws", "messages/ws"]) {
      let refusal: RefusedHandshake | undefined;
      try {
        const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/${path}?${query}`);
        await socket.close();
      } catch (error) {
        refusal = error as RefusedHandshake;
      }
      assert.ok(refusal, `${query} was accepted`);
      assert.equal(refusal.status, 400, query);
      assert.equal(refusal.body?.error?.type, "BAD_QUERY", query);
      assert.equal(refusal.body?.data, null, query);
    }
  }
});
