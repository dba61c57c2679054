/**
 * The chat page in headless Chromium (Debian's `chromium`, driven by
 * `playwright-core`): two people sign up and chat, one of them through a proxy
 * whose connections are cut, and an anonymous reader follows along read-only.
 *
 * Playwright needs `--allow-all` under Deno, so `chat_browser_test.ts` runs
 * this file as `deno test -A` in a child process (and skips it, or fails under
 * `CI=true`, when Chromium is missing). Run it alone with
 * `deno test -A tests/browser/chat_page_scenarios.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { ChatClient } from "../../src/client/chat_client.js";
import { startServer } from "../_helpers/server.ts";
import { startTcpProxy } from "../client/tcp_proxy.ts";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT_DIR = new URL("../../test-output/", import.meta.url);

/** Lifts the rate limit so the test can seed history quickly. */
const FAST = { RATE_LIMIT_BURST: "10000", RATE_LIMIT_PER_SEC: "10000" };

async function launch(): Promise<Browser> {
  // Playwright gives every launch a fresh temporary --user-data-dir of its own.
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Records page errors and console errors (CSP violations show up there). */
function watchErrors(page: Page, name: string): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${name}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    // The dropped connection and the refused reconnects are expected.
    if (/WebSocket|ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource/.test(text)) return;
    errors.push(`${name}: ${text}`);
  });
  return errors;
}

async function signUp(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill("correct horse");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.locator("#me").filter({ hasText: username }).waitFor({ timeout: 10_000 });
}

async function join(page: Page, room: string, readOnly = false): Promise<void> {
  await page.getByLabel("Room", { exact: true }).fill(room);
  await page.getByLabel("Room", { exact: true }).press("Enter");
  const connected = `Connected to “${room}”${readOnly ? " (read-only)" : ""}.`;
  await page.getByRole("status").filter({ hasText: connected }).waitFor({ timeout: 10_000 });
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByLabel("Message", { exact: true }).press("Enter");
}

async function waitForMessage(page: Page, text: string): Promise<void> {
  await page.getByRole("log").locator("li[data-seq]").filter({ hasText: text }).first()
    .waitFor({ timeout: 15_000 });
}

/** The seqs of the rendered messages, top to bottom. */
function renderedSeqs(page: Page): Promise<number[]> {
  return page.locator("#messages li[data-seq]").evaluateAll((items) =>
    items.map((item) => Number(item.getAttribute("data-seq")))
  );
}

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
      const alice = await (await browser.newContext({ viewport: { width: 1100, height: 820 } }))
        .newPage();
      // Bob is on a phone-sized screen and reaches the server through the proxy.
      const bob = await (await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      })).newPage();
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

      // Presence lists both people and the reader.
      await alice.locator("#online-users li").filter({ hasText: "bob" }).waitFor({
        timeout: 10_000,
      });
      await alice.locator("#online-anonymous").filter({ hasText: "1 anonymous reader" }).waitFor({
        timeout: 10_000,
      });

      // Errors read as sentences: a taken name, a wrong password, a bad room name.
      await reader.getByLabel("Username", { exact: true }).fill("ALICE");
      await reader.getByLabel("Password", { exact: true }).fill("whatever");
      await reader.getByRole("button", { name: "Sign up" }).click();
      await reader.getByRole("alert").filter({ hasText: "That username is taken" }).waitFor();
      await reader.getByRole("button", { name: "Log in" }).click();
      await reader.getByRole("alert").filter({ hasText: "Wrong password" }).waitFor();
      await reader.getByLabel("Room", { exact: true }).fill("two words");
      await reader.getByRole("button", { name: "Join" }).click();
      await reader.getByRole("alert").filter({ hasText: "no spaces" }).waitFor();

      await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
      await alice.screenshot({
        path: new URL("chat.png", SCREENSHOT_DIR).pathname,
        fullPage: true,
      });
      await bob.screenshot({ path: new URL("chat-phone.png", SCREENSHOT_DIR).pathname });
      await reader.screenshot({ path: new URL("chat-reader.png", SCREENSHOT_DIR).pathname });

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
