/**
 * The page and the client module as the server serves them, from the app and
 * from the one-file bundle started in an empty directory.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient } from "../../src/client/chat_client.js";
import { eventually } from "../_helpers/eventually.ts";
import { spawnServer } from "../_helpers/process.ts";
import { startServer } from "../_helpers/server.ts";

const ROOT = new URL("../../", import.meta.url);

const ASSETS = [
  { path: "/", file: "src/web/index.html", type: "text/html; charset=utf-8" },
  { path: "/app.js", file: "src/web/app.js", type: "text/javascript; charset=utf-8" },
  { path: "/style.css", file: "src/web/style.css", type: "text/css; charset=utf-8" },
  { path: "/client.js", file: "src/client/chat_client.js", type: "text/javascript; charset=utf-8" },
  {
    path: "/client/chat_client.js",
    file: "src/client/chat_client.js",
    type: "text/javascript; charset=utf-8",
  },
];

Deno.test("GET of each page asset answers its file with its content type", async () => {
  await using server = await startServer();
  for (const asset of ASSETS) {
    const response = await fetch(`${server.url}${asset.path}`);
    assert.equal(response.status, 200, asset.path);
    assert.equal(response.headers.get("content-type"), asset.type, asset.path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(
      await response.text(),
      await Deno.readTextFile(new URL(asset.file, ROOT)),
      asset.path,
    );
  }
});

Deno.test("the page carries a Content-Security-Policy that allows only its own scripts and sockets", async () => {
  await using server = await startServer();
  const response = await fetch(`${server.url}/`);
  await response.body?.cancel();
  const csp = response.headers.get("content-security-policy") ?? "";
  const host = new URL(server.url).host;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.ok(csp.includes(`connect-src 'self' ws://${host} wss://${host}`), csp);
});

Deno.test("a Host header that could inject policy text is left out of the CSP", async () => {
  await using server = await startServer();
  const response = await server.app.fetch(
    new Request(`${server.url}/`, { headers: { host: "evil; script-src *" } }),
  );
  await response.body?.cancel();
  const csp = response.headers.get("content-security-policy") ?? "";
  assert.ok(!csp.includes("evil"), csp);
  assert.match(csp, /connect-src 'self';/);
});

Deno.test("the client module may be imported from other origins; the page may not be framed", async () => {
  await using server = await startServer();
  const client = await fetch(`${server.url}/client.js`);
  await client.body?.cancel();
  assert.equal(client.headers.get("access-control-allow-origin"), "*");
  const page = await fetch(`${server.url}/`);
  await page.body?.cancel();
  assert.equal(page.headers.get("access-control-allow-origin"), null);
  assert.equal(page.headers.get("x-frame-options"), "DENY");
});

Deno.test("POST to a page asset answers 405 METHOD_NOT_ALLOWED with Allow", async () => {
  await using server = await startServer();
  const response = await fetch(`${server.url}/app.js`, { method: "POST" });
  const body = await response.json();
  assert.equal(response.status, 405);
  assert.equal(body.error.type, "METHOD_NOT_ALLOWED");
  assert.match(response.headers.get("allow") ?? "", /GET/);
});

Deno.test({
  name:
    "deno task bundle: the one file starts alone in an empty directory on its default SQLite store, serves the page and carries a chat",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = new URL(".", ROOT).pathname;
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "bundle"],
      cwd: root,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(built.success, new TextDecoder().decode(built.stderr));
    // Moved away from the repository: nothing beside it but an empty directory.
    const empty = await Deno.makeTempDir({ prefix: "chat-empty-" });
    const elsewhere = await Deno.makeTempDir({ prefix: "chat-bundle-" });
    const bundle = `${elsewhere}/chat-server.js`;
    await Deno.copyFile(`${root}dist/chat-server.js`, bundle);
    try {
      await using server = await spawnServer({ mode: { bundle }, cwd: empty });
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script type="module" src="\/app\.js"><\/script>/);
      const client = await fetch(`${server.url}/client.js`);
      assert.equal(client.status, 200);
      assert.equal(
        await client.text(),
        await Deno.readTextFile(new URL("src/client/chat_client.js", ROOT)),
      );

      const alice = new ChatClient({ baseUrl: server.url });
      await alice.signUp("alice", "correct horse");
      await alice.login("alice", "correct horse");
      const seen: string[] = [];
      const reader = new ChatClient({ baseUrl: server.url }).join("lobby", {
        onMessage: (m) => seen.push(m.text),
      });
      const room = alice.join("lobby");
      const delivered = await room.send("hello from the bundle");
      assert.equal(delivered.sender.username, "alice");
      await eventually(() => Promise.resolve(seen.length), (n) => n === 1);
      assert.deepEqual(seen, ["hello from the bundle"]);
      await room.close();
      await reader.close();
      // The default store: a SQLite file under ./data of the working directory.
      assert.deepEqual([...Deno.readDirSync(empty)].map((e) => e.name), ["data"]);
      assert.ok(Deno.statSync(`${empty}/data/chat.sqlite3`).isFile);
    } finally {
      await Deno.remove(empty, { recursive: true });
      await Deno.remove(elsewhere, { recursive: true });
    }
  },
});
