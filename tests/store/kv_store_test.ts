import assert from "node:assert/strict";
import { openKvStore } from "../../src/store/kv_store.ts";
import { newMessage, storeContract } from "./store_contract.ts";

storeContract("KV :memory:", ({ now }) => openKvStore({ path: ":memory:", now }));

Deno.test("KV file: two handles appending concurrently to one room stay gapless", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-kv-test-" });
  const path = `${dir}/chat.kv`;
  const a = await openKvStore({ path });
  const b = await openKvStore({ path });
  try {
    const results = await Promise.all(
      Array.from(
        { length: 100 },
        (_, i) => (i % 2 === 0 ? a : b).appendMessage(newMessage("lobby", { text: `m${i}` })),
      ),
    );
    const got = results.map((m) => m.seq).sort((x, y) => x - y);
    assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(await a.lastSeq("lobby"), 100);
    const listed = await b.listMessages("lobby", { after: 0, from: "oldest", limit: 500 });
    assert.deepEqual(listed.map((m) => m.seq), got);
    const [fromA, fromB] = await Promise.all([
      a.getOrCreateSecret("jwt", () => "from-a"),
      b.getOrCreateSecret("jwt", () => "from-b"),
    ]);
    assert.equal(fromA, fromB);
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
