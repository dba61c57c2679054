/**
 * Where the browser tests find Chromium: Debian's `chromium` package. Kept
 * apart from the Playwright helpers so the runner can check for it without
 * loading Playwright.
 *
 * @module
 */

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";
