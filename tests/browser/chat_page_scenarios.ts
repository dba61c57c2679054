/**
 * The chat page in headless Chromium (Debian's `chromium`, driven by
 * `playwright-core`): two people sign up and chat, one of them through a proxy
 * whose connections are cut, an anonymous reader follows along read-only, and
 * older history loads on request.
 *
 * Playwright needs `--allow-all` under Deno, so `chat_browser_test.ts` runs
 * the scenario files as `deno test -A` in a child process (and skips them, or
 * fails under `CI=true`, when Chromium is missing). Run one alone with
 * `deno test -A tests/browser/chat_page_scenarios.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient } from "../../src/client/chat_client.js";
import { startServer } from "../_helpers/server.ts";
import { startTcpProxy } from "../client/tcp_proxy.ts";
import {
  desktop,
  FAST,
  join,
  launch,
  phone,
  renderedSeqs,
  say,
  screenshot,
  signUp,
  waitForMessage,
  waitForOnline,
  watchErrors,
} from "./_page.ts";

Deno.test({
  name: "two people chat in the page, one reconnects after a cut, and a reader follows read-only",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startServer({ env: FAST });
    await using proxy = startTcpProxy(Number(new URL(server.url).port));
    const browser = await launch();
    const errors: string[] = [];
    try {
      const alice = await (await desktop(browser)).newPage();
      // Bob is on a phone-sized screen and reaches the server through the proxy.
      const bob = await (await phone(browser)).newPage();
      const reader = await (await browser.newContext()).newPage();
      const sinks = [
        watchErrors(alice, "alice"),
        watchErrors(bob, "bob"),
        watchErrors(reader, "reader"),
      ];

      await alice.goto(`${server.url}/`);
      await bob.goto(`${proxy.url}/`);
      await reader.goto(`${server.url}/`);

      // Before joining, nobody can send, and the page says why.
      assert.equal(await alice.getByRole("button", { name: "Send" }).isDisabled(), true);

      await signUp(alice, "alice");
      await signUp(bob, "bob");
      await join(alice, "lobby");
      await join(bob, "lobby");
      await join(reader, "lobby", true);

      await say(alice, "Hello Bob!");
      await waitForMessage(bob, "Hello Bob!");
      await say(bob, "Hi Alice, from my phone.");
      await waitForMessage(alice, "Hi Alice, from my phone.");

      // User text is shown as text, never parsed as HTML.
      const markup = `<img src=x onerror="document.title='pwned'"><b>not bold</b>`;
      await say(alice, markup);
      await waitForMessage(bob, "not bold");
      assert.equal(await bob.locator("#messages img, #messages b").count(), 0);
      assert.equal(await bob.locator("#messages li[data-seq] .text").last().textContent(), markup);

      // The anonymous reader sees the conversation but cannot send, and is told why.
      await waitForMessage(reader, "Hi Alice, from my phone.");
      assert.equal(await reader.getByLabel("Message", { exact: true }).isDisabled(), true);
      assert.equal(await reader.getByRole("button", { name: "Send" }).isDisabled(), true);
      assert.match(
        (await reader.locator("#composer-hint").textContent()) ?? "",
        /reading anonymously/,
      );

      // Bob's connection is cut and new ones are refused for a while; alice keeps talking.
      proxy.blocked = true;
      await proxy.cut();
      await bob.getByRole("status").filter({ hasText: "Reconnecting" }).waitFor({
        timeout: 10_000,
      });
      await say(bob, "Typed while offline.");
      for (let i = 1; i <= 3; i++) await say(alice, `While you were away ${i}`);
      await waitForMessage(reader, "While you were away 3");
      proxy.blocked = false;
      await waitForMessage(bob, "While you were away 3");
      await waitForMessage(alice, "Typed while offline.");
      await bob.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 10_000 });
      await bob.locator("#messages li.pending").waitFor({ state: "detached", timeout: 10_000 });

      // Nothing lost, nothing doubled, in the same order everywhere.
      const expected = [1, 2, 3, 4, 5, 6, 7];
      assert.deepEqual(await renderedSeqs(bob), expected);
      assert.deepEqual(await renderedSeqs(alice), expected);
      assert.deepEqual(await renderedSeqs(reader), expected);

      // Presence lists both people; bob's rejoin brought a snapshot counting the reader.
      await waitForOnline(alice, ["alice (you)", "bob"]);
      await waitForOnline(bob, ["alice", "bob (you)"]);
      await bob.locator("#online-anonymous").filter({ hasText: "1 anonymous reader" }).waitFor({
        timeout: 10_000,
      });

      // Errors read as sentences: a taken name, a wrong password, a bad room name.
      await reader.getByLabel("Username", { exact: true }).fill("ALICE");
      await reader.getByLabel("Password", { exact: true }).fill("whatever");
      await reader.getByRole("button", { name: "Sign up" }).click();
      await reader.getByRole("alert").filter({ hasText: "That username is taken" }).waitFor();
      await reader.getByRole("button", { name: "Log in" }).click();
      await reader.getByRole("alert").filter({ hasText: "Wrong password" }).waitFor();
      await reader.getByLabel("Go to room", { exact: true }).fill("two words");
      await reader.getByRole("button", { name: "Join" }).click();
      await reader.getByRole("alert").filter({ hasText: "no spaces" }).waitFor();

      await screenshot(alice, "chat.png", true);
      await screenshot(bob, "chat-phone.png");
      await screenshot(reader, "chat-reader.png");

      errors.push(...sinks.flat());
      assert.deepEqual(errors, []);
      assert.notEqual(await bob.title(), "pwned");
    } finally {
      await browser.close();
    }
  },
});

Deno.test({
  name: "the page loads older history on request, oldest first, without doubles",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startServer({ env: FAST });
    const seeder = new ChatClient({ baseUrl: server.url });
    await seeder.signUp("seeder", "correct horse");
    await seeder.login("seeder", "correct horse");
    const room = seeder.join("history");
    try {
      for (let i = 1; i <= 60; i++) await room.send(`old ${i}`);
    } finally {
      await room.close();
    }
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const errors = watchErrors(page, "page");
      await page.goto(`${server.url}/#history`);
      await page.getByRole("status").filter({ hasText: "(read-only)" }).waitFor({
        timeout: 10_000,
      });
      await waitForMessage(page, "old 60");
      assert.deepEqual(await renderedSeqs(page), Array.from({ length: 50 }, (_, i) => i + 11));
      await page.getByRole("button", { name: "Load older messages" }).click();
      await waitForMessage(page, "old 1");
      assert.deepEqual(await renderedSeqs(page), Array.from({ length: 60 }, (_, i) => i + 1));
      assert.equal(
        await page.getByRole("button", { name: "Load older messages" }).isHidden(),
        true,
      );
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
});
