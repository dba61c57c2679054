/**
 * Parsers of the moderation settings: `ADMIN_USERNAMES` and `ADMIN_API_KEY`.
 *
 * @module
 */
import { canonicalUsername } from "../auth/username.ts";
import { ConfigError, type Env } from "./values.ts";

/** The shortest `ADMIN_API_KEY` accepted: a guessable key would open the server API. */
const MIN_API_KEY_CHARS = 32;

/**
 * `ADMIN_USERNAMES`: comma-separated usernames, returned in their caseless
 * form (NFKC, case-folded), deduplicated, so `Alice` names the user `alice`.
 *
 * @throws {ConfigError} for a name with control characters
 */
export function adminUsernames(env: Env): readonly string[] {
  const names = (env.ADMIN_USERNAMES ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (/\p{Cc}/u.test(name)) {
      throw new ConfigError(
        `Invalid ADMIN_USERNAMES entry ${JSON.stringify(name)}: it has control characters`,
      );
    }
  }
  return Object.freeze([...new Set(names.map(canonicalUsername))]);
}

/**
 * `ADMIN_API_KEY`: `undefined` when blank.
 *
 * @throws {ConfigError} for a key shorter than {@linkcode MIN_API_KEY_CHARS} or with white space
 */
export function adminApiKey(env: Env): string | undefined {
  const raw = (env.ADMIN_API_KEY ?? "").trim();
  if (!raw) return undefined;
  if (/\s/.test(raw)) throw new ConfigError("Invalid ADMIN_API_KEY: it has white space");
  if (raw.length < MIN_API_KEY_CHARS) {
    throw new ConfigError(
      `Invalid ADMIN_API_KEY: expected ${MIN_API_KEY_CHARS} characters or more, got ${raw.length}`,
    );
  }
  return raw;
}
