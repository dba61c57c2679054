/**
 * `TLS_CERT` and `TLS_KEY` (contract §8): `deno task start`'s server serves
 * HTTPS and WSS itself, with a certificate made at test time by `openssl`;
 * bad settings stop the start with a message that names the variable and file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawnServer } from "../_helpers/process.ts";
import { connect } from "../_helpers/ws_client.ts";
import { makeCertificates } from "./_certs.ts";
import { browser, request } from "./_client.ts";
import { toolOrSkip } from "./_tools.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Starts `entry` with `env` and returns its exit code and output (it must exit within 20 s). */
async function startFails(env: Record<string, string>, entry = "src/main.ts") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}${entry}`],
    cwd: ROOT,
    env: { HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const out = await child.output();
  clearTimeout(timer);
  const decoder = new TextDecoder();
  return { code: out.code, output: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

if (toolOrSkip("tests/deploy/tls_test.ts", "openssl")) {
  Deno.test({
    name: "TLS_CERT and TLS_KEY: sign-up, login and a chat over HTTPS and WSS",
    async fn() {
      await using certs = await makeCertificates();
      const dir = await Deno.makeTempDir();
      await using server = await spawnServer({
        ca: certs.ca,
        env: {
          TLS_CERT: certs.certPath,
          TLS_KEY: certs.keyPath,
          DATABASE_PATH: `${dir}/chat.sqlite3`,
        },
      });
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const ann = browser(server.url, { ca: certs.ca, localAddress: "127.0.0.1" });
      const bob = browser(server.url, { ca: certs.ca, localAddress: "127.0.0.1" });
      assert.equal((await ann.get("/readyz")).status, 200);
      const annLogin = await ann.signIn("ann");
      const bobLogin = await bob.signIn("bob");
      const room = `${server.wsUrl}/api/v1/rooms/tls/ws`;
      assert.match(room, /^wss:/);
      // A browser's page on this server: its origin is https://, which TLS here vouches for.
      const headers = { origin: server.url };
      const annSocket = await connect(room, [annLogin.token], { ca: certs.ca, headers });
      const bobSocket = await connect(room, [bobLogin.token], { ca: certs.ca, headers });
      annSocket.send({ text: "over TLS", nonce: "t1" });
      const [got] = await bobSocket.waitForMessages(1);
      assert.equal(got!.text, "over TLS");
      assert.equal((await annSocket.waitForMessages(1))[0]!.nonce, "t1");
      // The same host over plain http:// is another origin.
      await assert.rejects(
        connect(room, [], {
          ca: certs.ca,
          headers: { origin: server.url.replace("https", "http") },
        }),
        (refusal: { status: number }) => refusal.status === 403,
      );
      await annSocket.close();
      await bobSocket.close();
      // Plain HTTP on the TLS port gets no answer from the app.
      await assert.rejects(request(`${server.url.replace("https", "http")}/livez`));
      await Deno.remove(dir, { recursive: true });
    },
  });

  Deno.test("TLS settings that cannot work stop the start, naming the variable and the file", async () => {
    await using certs = await makeCertificates();
    await using other = await makeCertificates();
    const dir = await Deno.makeTempDir();
    const db = { DATABASE_PATH: `${dir}/chat.sqlite3` };
    await Deno.writeTextFile(`${dir}/empty.pem`, "not a certificate\n");
    const cases: [Record<string, string>, number, RegExp][] = [
      [
        { TLS_CERT: certs.certPath },
        2,
        /^Cannot start: Missing TLS_KEY: required when TLS_CERT is set$/m,
      ],
      [
        { TLS_CERT: `${dir}/missing.pem`, TLS_KEY: certs.keyPath },
        1,
        /^Cannot start: Cannot read TLS_CERT ".*missing\.pem": no such file$/m,
      ],
      [
        { TLS_CERT: certs.certPath, TLS_KEY: dir },
        1,
        /^Cannot start: Cannot read TLS_KEY ".*": is a directory$/m,
      ],
      [
        { TLS_CERT: `${dir}/empty.pem`, TLS_KEY: certs.keyPath },
        1,
        /^Cannot start: Cannot use TLS_CERT ".*empty\.pem": it holds no PEM certificate$/m,
      ],
      [
        { TLS_CERT: certs.certPath, TLS_KEY: certs.certPath },
        1,
        /^Cannot start: Cannot use TLS_KEY ".*server\.pem": it holds no PEM key$/m,
      ],
      [
        { TLS_CERT: certs.certPath, TLS_KEY: other.keyPath },
        1,
        /^Cannot start: Cannot serve HTTPS with TLS_CERT ".*" and TLS_KEY ".*": .+$/m,
      ],
    ];
    for (const [env, code, message] of cases) {
      const result = await startFails({ ...db, ...env });
      assert.equal(result.code, code, `${JSON.stringify(env)}: ${result.output}`);
      assert.match(result.output, message);
      assert.doesNotMatch(result.output, /\bat .*\.ts:\d+/, "no stack trace");
    }
    // deno serve cannot serve HTTPS: the parallel launcher says so instead of serving plain HTTP.
    const parallel = await startFails(
      { ...db, TLS_CERT: certs.certPath, TLS_KEY: certs.keyPath },
      "src/serve_parallel.ts",
    );
    assert.equal(parallel.code, 2, parallel.output);
    assert.match(
      parallel.output,
      /^Cannot start: Cannot use TLS_CERT and TLS_KEY under deno serve/m,
    );
    await Deno.remove(dir, { recursive: true });
  });
}
