/**
 * Retention is never silent: a v2 `since` older than what is kept gets a
 * `HISTORY_PRUNED` error event before the replay of what is kept (the socket
 * stays open), v1 frames stay as they were, and the REST page that reaches
 * the start of what is kept says where retention cut (`X-Oldest-Kept-Seq`).
 * Through real sockets, on SQLite and KV.
 *
 * @module
 */
import assert from "node:assert/strict";
import { getJson, seedMessages, signIn, startServer, type TestServer } from "../_helpers/server.ts";
import { briefs, eventsOf, waitForEvent } from "../_helpers/v2_events.ts";
import { connect, type TestSocket } from "../_helpers/ws_client.ts";

const ROOM = "kept";

/** A server whose room `kept` had 10 messages, the oldest 4 deleted by retention. */
async function prunedServer(storeKind: "sqlite" | "kv"): Promise<TestServer> {
  const server = await startServer({ storeKind });
  await seedMessages(server.store, ROOM, { id: 1, username: "seed" }, 10);
  const pruned = await server.store.pruneRoom(ROOM, Date.now() + 60_000, { maxMessages: 4 });
  assert.equal(pruned.prunedThrough, 4);
  assert.equal(await server.store.oldestKeptSeq(ROOM), 5);
  return server;
}

/** Opens a socket on `kept` with `query` and waits for its presence (sent after the history). */
async function join(server: TestServer, query: string, token?: string): Promise<TestSocket> {
  const socket = await connect(
    `${server.wsUrl}/api/v1/rooms/${ROOM}/ws?${query}`,
    token ? [token] : [],
  );
  await waitForEvent(socket, (event) => event.type === "presence");
  return socket;
}

/** The brief forms of what a socket received, its presence snapshot left out. */
function withoutPresence(socket: TestSocket): string[] {
  return briefs(socket).filter((b) => !b.startsWith("presence"));
}

const KEPT = [5, 6, 7, 8, 9, 10].map((seq) => `message ${seq} message ${seq}`);

for (const storeKind of ["sqlite", "kv"] as const) {
  Deno.test(`${storeKind}: v2 since older than what is kept gets HISTORY_PRUNED, then what is kept, and stays open`, async () => {
    await using server = await prunedServer(storeKind);
    const { token } = await signIn(server, "reader");
    for (const since of [0, 2, 3]) {
      const socket = await join(server, `v=2&since=${since}`, since === 3 ? token : undefined);
      try {
        assert.deepEqual(withoutPresence(socket), ["error HISTORY_PRUNED", ...KEPT]);
        const [error] = eventsOf(socket);
        assert.deepEqual(Object.keys(error), ["type", "error"]);
        assert.equal(error.error.type, "HISTORY_PRUNED");
        assert.match(error.error.message, /oldest kept seq is 5$/);
        assert.match(error.error.message, new RegExp(`after seq ${since}\\b`));
        // The error frame is its own frame, before the first replayed one.
        assert.equal(socket.frames[0]!.length, 1);
        if (since === 3) {
          // Still open and live: a message sent now comes back with the next seq.
          socket.send({ type: "message", text: "after the cut", nonce: "n1" });
          await waitForEvent(socket, "message 11 after the cut");
        }
      } finally {
        await socket.close();
      }
    }
  });

  Deno.test(`${storeKind}: v2 since at or after the cut, or no since, gets no HISTORY_PRUNED`, async () => {
    await using server = await prunedServer(storeKind);
    const atCut = await join(server, "v=2&since=4");
    const later = await join(server, "v=2&since=8");
    const latest = await join(server, "v=2");
    try {
      assert.deepEqual(withoutPresence(atCut), KEPT);
      assert.deepEqual(withoutPresence(later), KEPT.slice(4));
      assert.deepEqual(withoutPresence(latest), KEPT);
    } finally {
      for (const socket of [atCut, later, latest]) await socket.close();
    }
  });

  Deno.test(`${storeKind}: v2 batch=1 gets HISTORY_PRUNED as its own frame, then the kept history as one`, async () => {
    await using server = await prunedServer(storeKind);
    const socket = await join(server, "v=2&batch=1&since=1");
    try {
      const [first, second] = socket.frames as unknown as { type: string; seq?: number }[][];
      assert.deepEqual(first!.map((e) => e.type), ["error"]);
      assert.deepEqual(second!.map((e) => e.seq), [5, 6, 7, 8, 9, 10]);
    } finally {
      await socket.close();
    }
  });

  Deno.test(`${storeKind}: v1 since older than what is kept gets the same frames as ever, no error`, async () => {
    await using server = await prunedServer(storeKind);
    const old = await connect(`${server.wsUrl}/api/v1/rooms/${ROOM}/ws?since=2`);
    const atCut = await connect(`${server.wsUrl}/api/v1/rooms/${ROOM}/ws?since=4`);
    try {
      await old.waitForMessages(6);
      await atCut.waitForMessages(6);
      // The same frames a since at the cut gets: one v1 message each, 5 to 10.
      assert.deepEqual(old.frames, atCut.frames);
      assert.deepEqual(old.frames.map((f) => f.map((m) => m.seq)), [[5], [6], [7], [8], [9], [10]]);
      assert.ok(old.frames.flat().every((m) => !("type" in m)), "v1 shape");
    } finally {
      await old.close();
      await atCut.close();
    }
  });

  Deno.test(`${storeKind}: the REST page that reaches the start of what is kept has X-Oldest-Kept-Seq`, async () => {
    await using server = await prunedServer(storeKind);
    const base = `${server.url}/api/v1/rooms/${ROOM}/messages`;
    const first = await getJson(`${base}?before=7`);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.data.messages.map((m: { seq: number }) => m.seq), [5, 6]);
    assert.equal(first.body.data.hasMore, false);
    assert.equal(first.headers.get("x-oldest-kept-seq"), "5");
    // Past the cut: an empty page, still told.
    const past = await getJson(`${base}?before=3`);
    assert.deepEqual(past.body.data, { messages: [], hasMore: false });
    assert.equal(past.headers.get("x-oldest-kept-seq"), "5");
    // A page with more before it says nothing, nor does a room retention never touched.
    const latest = await getJson(`${base}?limit=3`);
    assert.equal(latest.body.data.hasMore, true);
    assert.equal(latest.headers.get("x-oldest-kept-seq"), null);
    await seedMessages(server.store, "untouched", { id: 1, username: "seed" }, 2);
    const whole = await getJson(`${server.url}/api/v1/rooms/untouched/messages`);
    assert.equal(whole.body.data.hasMore, false);
    assert.equal(whole.headers.get("x-oldest-kept-seq"), null);
  });
}
