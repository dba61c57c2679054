/**
 * The page's protocol v2 features in headless Chromium, as people see them:
 * two signed-in people (one on a phone-sized screen) and an anonymous reader
 * use the room list with unread badges and the "create room" form, the live
 * online list, "X is typing…", editing and deleting their own messages,
 * errors shown under the message box with the draft kept, and a read
 * position that survives reloads and a second device. A second scenario does
 * it with the keyboard alone.
 *
 * Run by `chat_browser_test.ts` in a child `deno test -A` (Playwright needs
 * it); alone: `deno test -A tests/browser/rooms_page_scenarios.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ChatClient } from "../../src/client/chat_client.js";
import { MAX_TEXT_CHARS } from "../../src/contract/mod.js";
import { eventually } from "../_helpers/eventually.ts";
import {
  browserScenario,
  connected,
  createRoom,
  join,
  logIn,
  message,
  newPage,
  openRoomList,
  roomLink,
  say,
  screenshot,
  SHOWS,
  signUp,
  waitForMessage,
  waitForOnline,
  watchErrors,
} from "./_page.ts";

browserScenario(
  "two people and a reader see the room list, presence, typing, edits, inline errors and read positions",
  async (server, browser) => {
    const alice = await newPage(browser);
    const bob = await newPage(browser, "phone");
    const reader = await newPage(browser);
    const sinks = [
      watchErrors(alice, "alice"),
      watchErrors(bob, "bob"),
      watchErrors(reader, "reader"),
    ];

    // Alice creates a public room with the form; it is hers and opens at once.
    await alice.goto(`${server.url}/`);
    await signUp(alice, "alice");
    await createRoom(alice, "garden", { title: "The garden" });
    await roomLink(alice, "Your rooms", "The garden (garden)").waitFor(SHOWS);
    await alice.getByRole("heading", { name: "Room “garden”" }).waitFor(SHOWS);

    // Bob finds it in the directory on his phone and opens it from there.
    await bob.goto(`${server.url}/`);
    await signUp(bob, "bob");
    await openRoomList(bob);
    await roomLink(bob, "Public rooms", "The garden (garden)").click();
    await connected(bob, "garden");
    await reader.goto(`${server.url}/#garden`);
    await connected(reader, "garden", true);

    // The online list follows joins live (no polling), on every screen.
    await waitForOnline(alice, ["alice (you)", "bob"]);
    await waitForOnline(bob, ["alice", "bob (you)"]);
    await waitForOnline(reader, ["alice", "bob"]);

    // Bob types: the others see "bob is typing…", which goes when his message lands.
    const box = bob.getByLabel("Message", { exact: true });
    await box.pressSequentially("Hi Al");
    await alice.locator("#typing").filter({ hasText: "bob is typing…" }).waitFor(SHOWS);
    await reader.locator("#typing").filter({ hasText: "bob is typing…" }).waitFor(SHOWS);
    assert.equal(await bob.locator("#typing").textContent(), "", "not to the typist");
    await box.pressSequentially("ice!");
    await box.press("Enter");
    await waitForMessage(alice, "Hi Alice!");
    await alice.waitForFunction(`document.getElementById("typing").textContent === ""`);

    // Alice edits her own message; everyone sees the new text, marked edited.
    await say(alice, "Helo everyone");
    await waitForMessage(bob, "Helo everyone");
    assert.equal(
      await message(bob, "Helo everyone").getByRole("button", { name: "Edit" }).count(),
      0,
      "no Edit on someone else's message",
    );
    await message(alice, "Helo everyone").getByRole("button", { name: "Edit" }).click();
    const editor = alice.getByRole("textbox", { name: "Edit message" });
    assert.equal(await editor.evaluate((e) => e === e.ownerDocument.activeElement), true);
    await editor.fill("Hello everyone");
    await editor.press("Enter");
    for (const page of [alice, bob, reader]) {
      await message(page, "Hello everyone").locator(".edited:visible").waitFor(SHOWS);
      assert.equal(await message(page, "Helo everyone").count(), 0);
    }

    // Bob deletes his own message, after saying yes; it goes for everyone.
    await say(bob, "Oops, wrong room");
    await waitForMessage(alice, "Oops, wrong room");
    await message(bob, "Oops, wrong room").getByRole("button", { name: "Delete" }).click();
    await bob.getByText("Delete this message?").waitFor(SHOWS);
    await message(bob, "Oops, wrong room").getByRole("button", { name: "Delete", exact: true })
      .click();
    for (const page of [alice, bob, reader]) {
      await page.getByRole("log").getByText("Message deleted.").waitFor(SHOWS);
      assert.equal(await message(page, "Oops, wrong room").count(), 0);
    }

    // A message the server would refuse is explained under the box and stays in it.
    const tooLong = "x".repeat(MAX_TEXT_CHARS + 1);
    await box.fill(tooLong);
    await box.press("Enter");
    await bob.locator("#composer-error").filter({ hasText: "longer than 4000" }).waitFor(SHOWS);
    assert.equal(await box.inputValue(), tooLong);
    // A refusal by the server (alice mutes bob) too: the draft comes back into the box.
    await alice.locator("#online-users").getByRole("button", { name: "bob" }).click();
    await alice.getByRole("button", { name: "Mute", exact: true }).click();
    await alice.getByText("bob is muted in this room.").waitFor(SHOWS);
    await say(bob, "Am I still here?");
    await bob.locator("#composer-error").filter({ hasText: "You are muted in this room" })
      .waitFor(SHOWS);
    assert.equal(await box.inputValue(), "Am I still here?");
    assert.equal(await bob.locator("#messages li.pending").count(), 0);
    await alice.getByRole("button", { name: "Unmute" }).click();
    await alice.getByText("bob may write again.").waitFor(SHOWS);
    await box.press("Enter");
    await waitForMessage(alice, "Am I still here?");
    assert.equal(await bob.locator("#composer-error").isHidden(), true);

    // Bob goes elsewhere; alice writes on. His room list counts what he has not read.
    await join(bob, "lobby");
    await say(alice, "While you were away 1");
    await say(alice, "While you were away 2");
    await waitForMessage(reader, "While you were away 2");
    await bob.reload();
    await connected(bob, "lobby");
    await bob.locator("#rooms-summary").filter({ hasText: "Rooms (2 unread)" }).waitFor(SHOWS);
    await openRoomList(bob);
    const badge = roomLink(bob, "Your rooms", /garden/).locator(".badge");
    assert.equal((await badge.textContent())?.trim(), "2 unread");
    await roomLink(bob, "Your rooms", /garden/).click();
    await connected(bob, "garden");
    // The first message he has not read is marked, and the badge is gone.
    const divider = bob.locator("#messages .unread-divider");
    await divider.waitFor(SHOWS);
    assert.equal(
      await divider.evaluate((d) => d.nextElementSibling?.textContent?.includes("away 1")),
      true,
    );
    await bob.locator("#rooms-summary").filter({ hasText: /^Rooms$/ }).waitFor(SHOWS);
    await screenshot(bob, "rooms-phone.png");
    // The server has it (the page told it over the socket) before bob reloads.
    const bobsClient = new ChatClient({ baseUrl: server.url });
    await bobsClient.login("bob", "correct horse");
    await eventually(
      () => bobsClient.myRooms(),
      (rooms) => rooms.find((r) => r.name === "garden")?.unread === 0,
    );

    // After a reload, and on another device, the room is read: no divider, no badge.
    await bob.reload();
    await connected(bob, "garden");
    await waitForMessage(bob, "While you were away 2");
    assert.equal(await bob.locator("#messages .unread-divider").count(), 0);
    const laptop = await newPage(browser);
    sinks.push(watchErrors(laptop, "bob's laptop"));
    await laptop.goto(`${server.url}/`);
    await logIn(laptop, "bob");
    await roomLink(laptop, "Your rooms", /garden/).waitFor(SHOWS);
    assert.equal(await roomLink(laptop, "Your rooms", /garden/).locator(".badge").count(), 0);
    await roomLink(laptop, "Your rooms", /garden/).click();
    await connected(laptop, "garden");
    await waitForMessage(laptop, "While you were away 2");
    assert.equal(await laptop.locator("#messages .unread-divider").count(), 0);

    // The reader can read everything but change nothing.
    assert.equal(await reader.getByLabel("Message", { exact: true }).isDisabled(), true);
    assert.equal(await reader.getByRole("log").getByRole("button").count(), 0);
    await reader.locator("#online-users").getByRole("button", { name: "alice" }).click();
    await reader.getByText("Log in to message people.").waitFor(SHOWS);

    await screenshot(alice, "rooms-desktop.png", true);
    await screenshot(reader, "rooms-reader.png");
    assert.deepEqual(sinks.flat(), []);
  },
);

// These run in the page, so they are written as its JavaScript (the tests have no DOM types).

/** Whether the focused element shows a focus outline. */
function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  })()`);
}

/** What a screen reader would call the focused element: its label, or its text. */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const e = document.activeElement;
    if (!e) return "";
    const label = e.id ? document.querySelector('label[for="' + e.id + '"]')?.textContent : undefined;
    return (e.getAttribute("aria-label") ?? label ?? e.textContent ?? "").trim();
  })()`);
}

browserScenario(
  "the page works with the keyboard alone: sign up, join, send, edit, cancel, delete, open a name",
  async (server, browser) => {
    const page = await newPage(browser);
    const errors = watchErrors(page, "keys");
    const keys = page.keyboard;
    await page.goto(`${server.url}/`);
    await keys.press("Tab");
    assert.equal(await focused(page), "Username");
    assert.equal(await focusVisible(page), true, "a visible focus outline");
    await keys.type("keys");
    await keys.press("Tab");
    assert.equal(await focused(page), "Password");
    await keys.type("correct horse");
    await keys.press("Tab");
    await keys.press("Tab");
    assert.equal(await focused(page), "Sign up");
    await keys.press("Enter");
    await page.locator("#me").filter({ hasText: "keys" }).waitFor(SHOWS);
    assert.equal(await focused(page), "Log out", "the focus lands on what comes next");

    // Through the account buttons and the room list to "Go to room".
    for (let i = 0; i < 10 && (await focused(page)) !== "Go to room"; i++) {
      await keys.press("Tab");
    }
    assert.equal(await focused(page), "Go to room");
    await keys.press("ControlOrMeta+a");
    await keys.type("keyboard");
    await keys.press("Enter");
    await connected(page, "keyboard");
    assert.equal(await focused(page), "Message", "the message box takes the focus");
    await keys.type("typed with keys");
    await keys.press("Enter");
    await waitForMessage(page, "typed with keys");

    // Back from the box to the message's buttons: Delete, then Edit.
    await keys.press("Shift+Tab");
    assert.equal(await focused(page), "Delete");
    await keys.press("Shift+Tab");
    assert.equal(await focused(page), "Edit");
    assert.equal(await focusVisible(page), true);
    await keys.press("Enter");
    assert.equal(await focused(page), "Edit message");
    await keys.type(" and changed");
    await keys.press("Escape");
    assert.equal(await focused(page), "Edit", "Escape cancels and gives the focus back");
    assert.equal(await message(page, "and changed").count(), 0);
    await keys.press("Enter");
    await keys.type(", edited");
    await keys.press("Enter");
    await message(page, "typed with keys, edited").locator(".edited:visible").waitFor(SHOWS);

    // Delete asks first; Escape keeps the message, Enter on "Delete" removes it.
    for (let i = 0; i < 5 && (await focused(page)) !== "Delete"; i++) await keys.press("Tab");
    await keys.press("Enter");
    assert.equal(await focused(page), "Delete");
    await page.getByText("Delete this message?").waitFor(SHOWS);
    await keys.press("Escape");
    assert.equal(await page.getByText("Delete this message?").count(), 0);
    await keys.press("Enter");
    await keys.press("Enter");
    await page.getByRole("log").getByText("Message deleted.").waitFor(SHOWS);

    // A name in the online list opens with Enter and closes with Escape.
    for (let i = 0; i < 10 && (await focused(page)) !== "keys (you)"; i++) {
      await keys.press("Tab");
    }
    assert.equal(await focused(page), "keys (you)");
    await keys.press("Enter");
    await page.getByText("This is you.").waitFor(SHOWS);
    await keys.press("Escape");
    assert.equal(await page.getByText("This is you.").isHidden(), true);
    assert.equal(await focused(page), "keys (you)");

    await screenshot(page, "keyboard.png");
    assert.deepEqual(errors, []);
  },
);
