/**
 * Helpers of the browser scenarios: launching Debian's Chromium through
 * `playwright-core`, and the steps a person takes on the chat page, written
 * with the page's labels and roles (what a person, or a screen reader, sees).
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { startServer, type TestServer } from "../_helpers/server.ts";
import { CHROMIUM } from "./_chromium.ts";
/** Where the scenarios save their screenshots. */
export const SCREENSHOT_DIR = new URL("../../test-output/", import.meta.url);
/** Lifts the rate limit so the scenarios can send quickly. */
export const FAST = { RATE_LIMIT_BURST: "10000", RATE_LIMIT_PER_SEC: "10000" };
/** How long a person would wait for something to show. */
export const SHOWS = { timeout: 10_000 };

/** Launches headless Chromium; Playwright gives it a fresh --user-data-dir. */
export async function launch(): Promise<Browser> {
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

/** A desktop-sized context. */
export function desktop(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1200, height: 860 } });
}

/** A phone-sized context with touch. */
export function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
}

/** A page in a fresh desktop-sized (or phone-sized) context. */
export async function newPage(
  browser: Browser,
  size: "desktop" | "phone" = "desktop",
): Promise<Page> {
  return await (await (size === "phone" ? phone(browser) : desktop(browser))).newPage();
}

/**
 * Registers a browser scenario: a test server with the rate limit lifted and
 * a headless Chromium, closed whatever the scenario does.
 */
export function browserScenario(
  name: string,
  scenario: (server: TestServer, browser: Browser) => Promise<void>,
): void {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      await using server = await startServer({ env: FAST });
      const browser = await launch();
      try {
        await scenario(server, browser);
      } finally {
        await browser.close();
      }
    },
  });
}

/** Records page errors and console errors (CSP violations show up there). */
export function watchErrors(page: Page, name: string): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${name}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    // Dropped connections, refused reconnects and refused requests are expected.
    if (/WebSocket|ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource/.test(text)) return;
    errors.push(`${name}: ${text}`);
  });
  return errors;
}

/** Signs up and is logged in. */
export async function signUp(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill("correct horse");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.locator("#me").filter({ hasText: username }).waitFor(SHOWS);
}

/** Logs in with an existing account. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill("correct horse");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.locator("#me").filter({ hasText: username }).waitFor(SHOWS);
}

/** Waits until the page says it is connected to `room`. */
export async function connected(page: Page, room: string, readOnly = false): Promise<void> {
  const text = `Connected to “${room}”${readOnly ? " (read-only)" : ""}.`;
  await page.getByRole("status").filter({ hasText: text }).waitFor(SHOWS);
}

/** Opens the room list where it starts folded (on a phone). */
export async function openRoomList(page: Page): Promise<void> {
  const open = await page.locator("#rooms-panel").getAttribute("open");
  if (open === null) await page.locator("#rooms-summary").click();
}

/** Goes to a room by name. */
export async function join(page: Page, room: string, readOnly = false): Promise<void> {
  await openRoomList(page);
  await page.getByLabel("Go to room", { exact: true }).fill(room);
  await page.getByLabel("Go to room", { exact: true }).press("Enter");
  await connected(page, room, readOnly);
}

/** Creates a room with the form, opening the room list first if it is folded. */
export async function createRoom(
  page: Page,
  name: string,
  { title, isPrivate = false }: { title?: string; isPrivate?: boolean } = {},
): Promise<void> {
  await openRoomList(page);
  await page.getByText("Create a room").click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  if (title !== undefined) await page.getByLabel("Title (optional)").fill(title);
  if (isPrivate) await page.getByLabel("Only members (private)").check();
  await page.getByRole("button", { name: "Create room" }).click();
  await connected(page, name);
}

/** Types a message and presses Enter. */
export async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByLabel("Message", { exact: true }).press("Enter");
}

/** The rendered message (not a pending one) holding `text`. */
export function message(page: Page, text: string) {
  return page.getByRole("log").locator("li[data-seq]").filter({ hasText: text }).first();
}

/** Waits for a delivered message holding `text`. */
export async function waitForMessage(page: Page, text: string): Promise<void> {
  await message(page, text).waitFor({ timeout: 15_000 });
}

/** The seqs of the rendered messages, top to bottom. */
export function renderedSeqs(page: Page): Promise<number[]> {
  return page.locator("#messages li[data-seq]").evaluateAll((items) =>
    items.map((item) => Number(item.getAttribute("data-seq")))
  );
}

/** The names in the online list, as shown. */
export function onlineNames(page: Page): Promise<string[]> {
  return page.locator("#online-users .member-name").allTextContents();
}

/** Waits until the online list shows exactly these names (sorted as the page sorts). */
export async function waitForOnline(page: Page, names: string[]): Promise<void> {
  const deadline = Date.now() + SHOWS.timeout;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown = await onlineNames(page);
    if (JSON.stringify(shown) === JSON.stringify(names)) return;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(shown, names, "the online list");
}

/** The link of a room in the room list (`Your rooms` or `Public rooms`). */
export function roomLink(page: Page, list: "Your rooms" | "Public rooms", name: string | RegExp) {
  return page.getByRole("list", { name: list }).getByRole("link", { name });
}

/** Saves a screenshot under `test-output/`; returns its path. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = new URL(name, SCREENSHOT_DIR).pathname;
  await page.screenshot({ path, fullPage });
  return path;
}
