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

const JS = "text/javascript; charset=utf-8";
const TS = "application/typescript; charset=utf-8";

/** Every served asset: the fixed ones, and each module of the folders the page imports from. */
async function assets(): Promise<Array<{ path: string; file: string; type: string }>> {
  const out = [
    { path: "/", file: "src/web/index.html", type: "text/html; charset=utf-8" },
    { path: "/index.html", file: "src/web/index.html", type: "text/html; charset=utf-8" },
    { path: "/app.js", file: "src/web/app.js", type: JS },
    { path: "/style.css", file: "src/web/style.css", type: "text/css; charset=utf-8" },
    { path: "/client.js", file: "src/client/chat_client.js", type: JS },
    { path: "/client.d.ts", file: "src/client/chat_client.d.ts", type: TS },
  ];
  for (const folder of ["client", "contract", "web"]) {
    for await (const entry of Deno.readDir(new URL(`src/${folder}/`, ROOT))) {
      if (entry.name === "app.js") continue;
      const type = entry.name.endsWith(".d.ts") ? TS : entry.name.endsWith(".js") ? JS : "";
      if (type) {
        out.push({ path: `/${folder}/${entry.name}`, file: `src/${folder}/${entry.name}`, type });
      }
    }
  }
  return out;
}

Deno.test("GET of each page asset answers its file with its content type", async () => {
  await using server = await startServer();
  const all = await assets();
  assert.ok(all.some((a) => a.path === "/contract/mod.js"), "the contract is served");
  for (const asset of all) {
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

Deno.test("each module with declarations names them in X-TypeScript-Types", async () => {
  await using server = await startServer();
  for (
    const [path, types] of [
      ["/client.js", "/client.d.ts"],
      ["/client/chat_client.js", "/client/chat_client.d.ts"],
      ["/client/room_connection.js", "/client/room_connection.d.ts"],
      ["/contract/mod.js", "/contract/mod.d.ts"],
    ]
  ) {
    const response = await fetch(`${server.url}${path}`);
    await response.body?.cancel();
    assert.equal(response.headers.get("x-typescript-types"), types, path);
    assert.equal(response.headers.get("access-control-allow-origin"), "*", path);
  }
  const page = await fetch(`${server.url}/app.js`);
  await page.body?.cancel();
  assert.equal(page.headers.get("x-typescript-types"), null);
});

Deno.test({
  name: "a Deno program that imports /client.js from the server is type-checked against its .d.ts",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startServer();
    const host = new URL(server.url).host;
    const dir = await Deno.makeTempDir({ prefix: "chat-types-remote-" });
    try {
      // Each @ts-expect-error fails the check if the types did not arrive (an `any` accepts all).
      await Deno.writeTextFile(
        `${dir}/main.ts`,
        [
          `import { ChatClient, CLOSE } from "${server.url}/client.js";`,
          `const chat = new ChatClient({ baseUrl: "${server.url}" });`,
          `const room = chat.join("lobby");`,
          `const code: 1009 = CLOSE.TOO_BIG.code;`,
          `room.on("message", (m) => m.text.toUpperCase());`,
          `// @ts-expect-error: "nope" is not an event`,
          `room.on("nope", () => {});`,
          `// @ts-expect-error: the code of TOO_BIG is 1009`,
          `const wrong: 1000 = CLOSE.TOO_BIG.code;`,
          `export { code, wrong };`,
        ].join("\n"),
      );
      const checked = await new Deno.Command(Deno.execPath(), {
        args: ["check", `--allow-import=${host}`, "--no-config", "--no-lock", "main.ts"],
        cwd: dir,
        env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_DIR: `${dir}/deno_dir` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const output = new TextDecoder().decode(checked.stderr);
      assert.ok(checked.success, output);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
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
