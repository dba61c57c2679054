/**
 * What every documented proxy must get right, as test steps: a browser's
 * sign-up, login and chat through it (`Origin` included), throttles per real
 * client, and headers from an untrusted peer ignored.
 *
 * The server trusts 127.0.0.1 (where the proxy connects from); the clients
 * connect to the proxy from 127.0.0.2 and up, so each is its own address.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { TestServer } from "../_helpers/server.ts";
import { connect, type RefusedHandshake } from "../_helpers/ws_client.ts";
import { browser, request } from "./_client.ts";
import type { RunningProxy } from "./_proxies.ts";

/** The server's settings for these scenarios. */
export const SERVER_ENV: Readonly<Record<string, string>> = Object.freeze({
  TRUSTED_PROXIES: "127.0.0.1",
  SIGNUP_RATE_LIMIT: "2",
});

async function refused(promise: Promise<{ close(): Promise<void> }>): Promise<RefusedHandshake> {
  try {
    await (await promise).close();
  } catch (error) {
    return error as RefusedHandshake;
  }
  throw new Error("the handshake was accepted");
}

/** Runs the scenarios as steps of `t`. */
export async function proxyScenarios(
  t: Deno.TestContext,
  proxy: RunningProxy,
  server: TestServer,
): Promise<void> {
  const { ca } = proxy;
  const room = `${proxy.wsUrl}/api/v1/rooms/lobby/ws`;
  const explain = async () =>
    `\n--- proxy configuration:\n${proxy.config}\n--- output:\n${await proxy.output()}`;

  await t.step("a browser signs up, logs in and chats through it", async () => {
    const ann = browser(proxy.url, { ca, localAddress: "127.0.0.2" });
    const bob = browser(proxy.url, { ca, localAddress: "127.0.0.3" });
    const ready = await ann.get("/readyz");
    assert.equal(ready.status, 200, await explain());
    const annLogin = await ann.signIn("ann");
    const bobLogin = await bob.signIn("bob");
    const open = async (token: string, localAddress: string) => {
      try {
        return await connect(room, [token], { ca, localAddress, headers: { origin: proxy.url } });
      } catch (error) {
        throw new Error(`handshake refused: ${JSON.stringify(error)}${await explain()}`);
      }
    };
    const annSocket = await open(annLogin.token, "127.0.0.2");
    const bobSocket = await open(bobLogin.token, "127.0.0.3");
    assert.equal(annSocket.protocol, annLogin.token);
    annSocket.send({ text: "hello through the proxy", nonce: "n1" });
    const [got] = await bobSocket.waitForMessages(1);
    assert.equal(got!.text, "hello through the proxy");
    assert.equal(got!.sender.username, "ann");
    const [echo] = await annSocket.waitForMessages(1);
    assert.equal(echo!.nonce, "n1");
    await annSocket.close();
    await bobSocket.close();
  });

  await t.step("a page on another origin gets 403 FORBIDDEN_ORIGIN", async () => {
    const refusal = await refused(
      connect(room, [], {
        ca,
        localAddress: "127.0.0.2",
        headers: { origin: "https://evil.example" },
      }),
    );
    assert.equal(refusal.status, 403);
    assert.equal(refusal.body.error.type, "FORBIDDEN_ORIGIN");
  });

  await t.step("each client behind it has its own sign-up budget", async () => {
    const carol = browser(proxy.url, { ca, localAddress: "127.0.0.4" });
    const dave = browser(proxy.url, { ca, localAddress: "127.0.0.5" });
    const signUp = (who: typeof carol, username: string, headers?: Record<string, string>) =>
      who.post("/api/v1/users", { username, secret: "pw" }, headers);
    assert.equal((await signUp(carol, "carol1")).status, 201);
    assert.equal((await signUp(carol, "carol2")).status, 201);
    const third = await signUp(carol, "carol3");
    assert.equal(third.status, 429);
    assert.equal(third.body.error.type, "RATE_LIMITED");
    assert.ok(Number(third.headers["retry-after"]) >= 1);
    // Its own X-Forwarded-For buys it nothing: the proxy's entry is the one believed.
    assert.equal(
      (await signUp(carol, "carol4", { "x-forwarded-for": "198.51.100.9" })).status,
      429,
    );
    assert.equal((await signUp(dave, "dave1")).status, 201);
  });

  await t.step("headers from a client connecting directly are ignored", async () => {
    const direct = (n: number, headers: Record<string, string>) =>
      request(`${server.url}/api/v1/users`, {
        localAddress: "127.0.0.6",
        json: { username: `direct${n}`, secret: "pw" },
        headers,
      });
    assert.equal((await direct(1, { "x-forwarded-for": "198.51.100.1" })).status, 201);
    assert.equal((await direct(2, { forwarded: "for=198.51.100.2" })).status, 201);
    assert.equal((await direct(3, { "x-forwarded-for": "198.51.100.3" })).status, 429);
    // Nor do forged X-Forwarded-Proto/-Host make a foreign page's socket look same-origin.
    const forged = await refused(connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [], {
      localAddress: "127.0.0.6",
      headers: {
        origin: "https://evil.example",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "evil.example",
      },
    }));
    assert.equal(forged.status, 403);
  });
}
