/**
 * The page and the client module as the server serves them, from the app and
 * from the one-file bundle started in an empty directory.
 *
 * @module
 */
import assert from "node:assert/strict";
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

Deno.test("the one-file bundle serves the page and client.js from an empty directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-bundle-" });
  const empty = await Deno.makeTempDir({ prefix: "chat-empty-" });
  try {
    const bundle = `${dir}/chat.js`;
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--output", bundle, "src/main.ts"],
      cwd: new URL(".", ROOT).pathname,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(built.success, new TextDecoder().decode(built.stderr));

    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", bundle],
      cwd: empty,
      env: {
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        LOG_LEVEL: "info",
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      // The logger writes JSON lines to stderr.
      const port = await listeningPort(child.stderr);
      const base = `http://127.0.0.1:${port}`;
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script type="module" src="\/app\.js"><\/script>/);
      const client = await fetch(`${base}/client.js`);
      assert.equal(client.status, 200);
      assert.equal(
        await client.text(),
        await Deno.readTextFile(new URL("src/client/chat_client.js", ROOT)),
      );
      assert.deepEqual([...Deno.readDirSync(empty)], []);
    } finally {
      child.kill("SIGTERM");
      await child.status;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(empty, { recursive: true });
  }
});

/** Reads JSON log lines until the server logs its port; keeps draining afterwards. */
async function listeningPort(output: ReadableStream<Uint8Array>): Promise<number> {
  const lines = output.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const deadline = setTimeout(() => lines.cancel(), 15_000);
  try {
    while (true) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`the bundle did not log "Listening"; output: ${buffer}`);
      buffer += value;
      for (const line of buffer.split("\n")) {
        if (!line.includes('"Listening"')) continue;
        const port = JSON.parse(line).port;
        if (typeof port === "number") {
          void (async () => {
            while (!(await lines.read()).done) { /* drain */ }
          })().catch(() => {});
          return port;
        }
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}
