/**
 * Username rules: what may be registered, and the form names are compared in.
 *
 * @module
 */
import { MAX_SECRET_BYTES, MAX_USERNAME_CHARS } from "../contract/limits.js";
import { ValidationError } from "../errors.ts";

export { MAX_SECRET_BYTES, MAX_USERNAME_CHARS };

/** A username as stored (`display`, NFC) and as compared (`canonical`). */
export interface Username {
  readonly display: string;
  readonly canonical: string;
}

/**
 * The caseless, compatibility-normalised form used for uniqueness:
 * NFKC, then a full case fold approximated by upper- then lower-casing.
 */
export function canonicalUsername(name: string): string {
  return name.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
}

/**
 * Validates a username for sign-up.
 *
 * @throws {ValidationError} `BAD_USERNAME` naming the rule it breaks
 */
export function parseUsername(raw: string): Username {
  if (!raw.isWellFormed()) {
    throw new ValidationError("BAD_USERNAME", "Cannot use username: it is not valid Unicode");
  }
  const display = raw.normalize("NFC");
  if (display.length === 0) {
    throw new ValidationError("BAD_USERNAME", "Cannot use username: it is empty");
  }
  if ([...display].length > MAX_USERNAME_CHARS) {
    throw new ValidationError(
      "BAD_USERNAME",
      `Cannot use username: it is longer than ${MAX_USERNAME_CHARS} characters`,
    );
  }
  if (/\p{Cc}/u.test(display)) {
    throw new ValidationError("BAD_USERNAME", "Cannot use username: it has control characters");
  }
  if (display.trim() !== display) {
    throw new ValidationError(
      "BAD_USERNAME",
      "Cannot use username: it has leading or trailing white space",
    );
  }
  return { display, canonical: canonicalUsername(display) };
}

/**
 * Validates a secret for sign-up.
 *
 * @throws {ValidationError} `BAD_PASSWORD`
 */
export function checkSecret(secret: string): void {
  if (secret.length === 0) {
    throw new ValidationError("BAD_PASSWORD", "Cannot use secret: it is empty");
  }
  if (new TextEncoder().encode(secret).byteLength > MAX_SECRET_BYTES) {
    throw new ValidationError(
      "BAD_PASSWORD",
      `Cannot use secret: it is longer than ${MAX_SECRET_BYTES} bytes`,
    );
  }
}
