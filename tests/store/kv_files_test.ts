/**
 * What only the KV store can show: no value holds a deleted message's text,
 * and data written by the v1 server is brought up to date on open.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type ChatMessage, toChatMessage } from "../../src/model.ts";
import { openKvStore } from "../../src/store/kv_store.ts";
import { newMessage, T0 } from "./contract/helpers.ts";

/** A temp KV file path whose directory is removed when the test's scope ends. */
async function tempKv(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "chat-kv-files-" });
  return {
    path: `${dir}/chat.kv`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Every key and value of a KV file, as text. */
async function dump(path: string): Promise<string> {
  const kv = await Deno.openKv(path);
  try {
    const out: string[] = [];
    for await (const entry of kv.list({ prefix: [] })) {
      out.push(JSON.stringify([entry.key, entry.value]));
    }
    return out.join("\n");
  } finally {
    kv.close();
  }
}

Deno.test("KV file: no key or value holds a deleted message's text or its edits' text", async () => {
  await using file = await tempKv();
  const store = await openKvStore({ path: file.path });
  try {
    const alice = { id: 1, username: "alice" };
    await store.appendMessage(newMessage("lobby", { text: "ORIGINAL-SECRET-4711" }));
    await store.appendMessage(newMessage("lobby", { text: "KEPT-TEXT-0815" }));
    for (let i = 0; i < 3; i++) {
      await store.editMessage({
        room: "lobby",
        target: 1,
        text: `EDITED-SECRET-${i}`,
        editor: alice,
        editedAtMs: T0,
      });
    }
    assert.match(await dump(file.path), /EDITED-SECRET-2/, "the probe finds stored text");
    await store.deleteMessage({ room: "lobby", target: 1, by: alice, atMs: T0 });
    const after = await dump(file.path);
    assert.doesNotMatch(after, /SECRET/);
    assert.match(after, /KEPT-TEXT-0815/);
  } finally {
    await store.close();
  }
});

Deno.test("KV file: data written by the v1 server is migrated on open and keeps everything", async () => {
  await using file = await tempKv();
  const old = await Deno.openKv(file.path);
  const v1 = (seq: number, room: string, at: number): ChatMessage =>
    toChatMessage(newMessage(room, { text: `${room} ${seq}`, createdAtMs: at }), seq);
  await old.atomic()
    .set(["rooms", "lobby"], 2)
    .set(["messages", "lobby", 1], v1(1, "lobby", T0))
    .set(["messages", "lobby", 2], v1(2, "lobby", T0 + 50))
    .set(["rooms", "quiet"], 1)
    .set(["messages", "quiet", 1], v1(1, "quiet", T0 + 10))
    .commit();
  old.close();
  const store = await openKvStore({ path: file.path });
  try {
    assert.deepEqual(
      (await store.listRooms({ limit: 10 })).rooms.map((
        r,
      ) => [r.name, r.lastSeq, r.lastMessageAtMs]),
      [["lobby", 2, T0 + 50], ["quiet", 1, T0 + 10]],
    );
    assert.deepEqual((await store.listMessages("lobby", { limit: 10 })).map((m) => m.text), [
      "lobby 1",
      "lobby 2",
    ]);
    assert.equal(
      (await store.appendMessage(newMessage("lobby", { createdAtMs: T0 + 5000 }))).seq,
      3,
    );
    // The migrated directory key moved (it is not left behind as a second entry).
    assert.deepEqual(
      (await store.listRooms({ limit: 10 })).rooms.map((r) => [r.name, r.lastMessageAtMs]),
      [["lobby", T0 + 5000], ["quiet", T0 + 10]],
    );
  } finally {
    await store.close();
  }
});
