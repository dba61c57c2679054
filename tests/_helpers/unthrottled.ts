/**
 * Test helper: environment that turns the HTTP throttles off, for tests that
 * send many sign-ups or logins from one address and are not about throttling.
 *
 * @module
 */

/** `startServer({ env: UNTHROTTLED })` turns off the sign-up and login throttles. */
export const UNTHROTTLED: Readonly<Record<string, string>> = Object.freeze({
  SIGNUP_RATE_LIMIT: "0",
  LOGIN_RATE_LIMIT: "0",
  LOGIN_USER_RATE_LIMIT: "0",
});
