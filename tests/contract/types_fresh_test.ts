/**
 * The committed `.d.ts` files of the contract and the client module are what
 * `deno task types` generates from their JavaScript now, and every `.js`
 * names its own `.d.ts` so Deno's checker reads it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { committedTypes, generateTypes, TYPED_DIRS } from "../../tools/gen_types.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test({
  name: "every committed .d.ts equals a fresh `deno task types` (regenerated into a temp folder)",
  async fn() {
    const outDir = await Deno.makeTempDir({ prefix: "chat-types-check-" });
    try {
      const written = await generateTypes(ROOT, outDir);
      assert.ok(written.includes("src/contract/mod.d.ts"), `wrote ${written}`);
      assert.ok(written.includes("src/client/chat_client.d.ts"), `wrote ${written}`);
      assert.deepEqual(
        await committedTypes(ROOT),
        written,
        "the committed .d.ts files are not the generated ones: run `deno task types`",
      );
      for (const path of written) {
        assert.equal(
          await Deno.readTextFile(`${ROOT}/${path}`),
          await Deno.readTextFile(`${outDir}/${path}`),
          `${path} is stale: run \`deno task types\``,
        );
      }
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});

Deno.test("every typed .js names its own .d.ts with @ts-self-types on its first line", async () => {
  for (const dir of TYPED_DIRS) {
    const folder = dir.slice(dir.lastIndexOf("/") + 1);
    for await (const entry of Deno.readDir(`${ROOT}/${dir}`)) {
      if (!entry.isFile || !entry.name.endsWith(".js")) continue;
      const first = (await Deno.readTextFile(`${ROOT}/${dir}/${entry.name}`)).split("\n")[0];
      const base = entry.name.replace(/\.js$/, ".d.ts");
      // `../client/x.d.ts` resolves to the same file when the module is served at `/client.js`.
      const allowed = [`// @ts-self-types="./${base}"`, `// @ts-self-types="../${folder}/${base}"`];
      assert.ok(allowed.includes(first ?? ""), `${dir}/${entry.name} starts with ${first}`);
    }
  }
});
