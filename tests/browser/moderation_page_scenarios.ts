/**
 * The page's moderation features in headless Chromium, as people see them: a
 * room's owner removes a spammer's message and bans them while a member and
 * an anonymous reader watch; private rooms with members added by name,
 * direct messages from the online list, and logging out everywhere.
 *
 * Run by `chat_browser_test.ts` in a child `deno test -A` (Playwright needs
 * it); alone: `deno test -A tests/browser/moderation_page_scenarios.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserScenario,
  connected,
  createRoom,
  join,
  logIn,
  message,
  newPage,
  roomLink,
  say,
  screenshot,
  SHOWS,
  signUp,
  waitForMessage,
  waitForOnline,
  watchErrors,
} from "./_page.ts";

/** Opens a name of the online list. */
async function openMember(page: Page, name: string): Promise<void> {
  await page.locator("#online-users").getByRole("button", { name, exact: true }).click();
}

browserScenario(
  "a moderator removes a spammer's message and bans them while a member and a reader watch",
  async (server, browser) => {
    const owner = await newPage(browser);
    const spammer = await newPage(browser);
    const watcher = await newPage(browser, "phone");
    const reader = await newPage(browser);
    const sinks = [
      watchErrors(owner, "owner"),
      watchErrors(spammer, "spammer"),
      watchErrors(watcher, "watcher"),
      watchErrors(reader, "reader"),
    ];
    await owner.goto(`${server.url}/`);
    await signUp(owner, "olivia");
    await createRoom(owner, "town");
    for (const [page, name] of [[spammer, "mallory"], [watcher, "walter"]] as const) {
      await page.goto(`${server.url}/#town`);
      await connected(page, "town", true);
      await signUp(page, name);
      await connected(page, "town");
    }
    await reader.goto(`${server.url}/#town`);
    await connected(reader, "town", true);
    await waitForOnline(owner, ["mallory", "olivia (you)", "walter"]);

    await say(watcher, "Good morning, town");
    await say(spammer, "BUY CHEAP WATCHES at spam.example");
    for (const page of [owner, watcher, reader]) {
      await waitForMessage(page, "BUY CHEAP WATCHES");
    }
    // Only the owner (and the author) may delete it; the watcher sees no button.
    const spam = (page: Page) => message(page, "BUY CHEAP WATCHES");
    assert.equal(await spam(watcher).getByRole("button", { name: "Delete" }).count(), 0);
    await owner.getByRole("log").getByRole("button", { name: "Delete" }).count().then((n) =>
      assert.ok(n >= 2, "the owner may delete every message")
    );
    await spam(owner).getByRole("button", { name: "Delete" }).click();
    await spam(owner).getByRole("button", { name: "Delete", exact: true }).click();
    for (const page of [owner, watcher, reader]) {
      await page.getByRole("log").getByText("Message deleted by olivia.").waitFor(SHOWS);
      assert.equal(await page.getByRole("log").getByText("BUY CHEAP").count(), 0);
    }
    await spammer.getByRole("log").getByText("Message deleted by olivia.").waitFor(SHOWS);
    await screenshot(watcher, "moderation-deleted-phone.png");

    // The owner bans the spammer from their name in the online list.
    await openMember(owner, "mallory");
    await owner.getByRole("button", { name: "Ban", exact: true }).click();
    await owner.getByText("mallory is banned from this room.").waitFor(SHOWS);
    await spammer.getByRole("status").filter({ hasText: "You are banned from this room." })
      .waitFor(SHOWS);
    assert.equal(await spammer.getByLabel("Message", { exact: true }).isDisabled(), true);
    for (const page of [owner, watcher]) {
      await waitForOnline(
        page,
        page === owner ? ["olivia (you)", "walter"] : [
          "olivia",
          "walter (you)",
        ],
      );
    }
    await waitForOnline(reader, ["olivia", "walter"]);
    // Coming back does not work either.
    await spammer.reload();
    await spammer.getByRole("status").filter({ hasText: "banned" }).waitFor(SHOWS);
    await screenshot(spammer, "moderation-banned.png");
    await screenshot(owner, "moderation-owner.png", true);
    await screenshot(reader, "moderation-reader.png");
    assert.deepEqual(sinks.flat(), []);
  },
);

browserScenario(
  "a private room with a member added by name, a DM from the online list, and logging out everywhere",
  async (server, browser) => {
    const alice = await newPage(browser);
    const bob = await newPage(browser);
    const reader = await newPage(browser);
    const sinks = [watchErrors(alice, "alice"), watchErrors(bob, "bob")];
    await alice.goto(`${server.url}/`);
    await signUp(alice, "alice");
    await bob.goto(`${server.url}/`);
    await signUp(bob, "bob");
    await join(alice, "lobby");
    await join(bob, "lobby");
    await waitForOnline(alice, ["alice (you)", "bob"]);

    // Alice makes a private room and adds bob by his name.
    await createRoom(alice, "plans", { isPrivate: true });
    await alice.getByRole("heading", { name: "Add a member" }).waitFor(SHOWS);
    await alice.getByLabel("Add by username").fill("Bob");
    await alice.getByRole("button", { name: "Add", exact: true }).click();
    await alice.getByText("bob is now a member of this room.").waitFor(SHOWS);
    await say(alice, "Secret plans");
    await waitForMessage(alice, "Secret plans");

    // Bob finds it among his rooms; a reader without a login cannot read it.
    await bob.reload();
    await roomLink(bob, "Your rooms", "plans").click();
    await connected(bob, "plans");
    await waitForMessage(bob, "Secret plans");
    await reader.goto(`${server.url}/#plans`);
    await reader.getByRole("alert").filter({ hasText: "This room is private" }).waitFor(SHOWS);
    assert.equal(await reader.getByRole("log").locator("li").count(), 0);

    // Alice opens a direct conversation from bob's name.
    await waitForOnline(alice, ["alice (you)", "bob"]);
    await openMember(alice, "bob");
    await alice.getByRole("button", { name: "Message privately" }).click();
    await alice.getByRole("heading", { name: "Direct messages with bob" }).waitFor(SHOWS);
    await say(alice, "psst, just you and me");
    await waitForMessage(alice, "psst, just you and me");
    await bob.reload();
    await roomLink(bob, "Your rooms", "Direct: alice").click();
    await bob.getByRole("heading", { name: "Direct messages with alice" }).waitFor(SHOWS);
    await waitForMessage(bob, "psst, just you and me");
    await screenshot(bob, "dm.png");

    // Bob logs out everywhere from his laptop: his other tab is logged out too.
    const laptop = await newPage(browser);
    sinks.push(watchErrors(laptop, "laptop"));
    await laptop.goto(`${server.url}/`);
    await logIn(laptop, "bob");
    await laptop.getByRole("button", { name: "Log out everywhere" }).click();
    await laptop.getByRole("button", { name: "Log in" }).waitFor(SHOWS);
    await bob.getByRole("status").filter({ hasText: "You were logged out" }).waitFor({
      timeout: 15_000,
    });
    await bob.getByRole("button", { name: "Log in" }).waitFor(SHOWS);
    await screenshot(bob, "logged-out-everywhere.png");
    assert.deepEqual(sinks.flat(), []);
  },
);
