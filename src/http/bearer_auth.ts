/**
 * Reads the token of an `Authorization: Bearer <jwt>` header.
 *
 * @module
 */
import { AuthError } from "../errors.ts";

/** RFC 6750's `b64token`, which every JWT is. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token of an `Authorization: Bearer` header. A header of another scheme
 * (`Basic`, added by a proxy's own login) is not ours and is ignored, like an
 * empty one.
 *
 * @throws {AuthError} `INVALID_AUTH_TOKEN` for a `Bearer` header that does not
 *   hold exactly one well-formed token (`Bearer `, `Bearer a b c`): a credential
 *   that is present but invalid never falls back to anonymous
 */
export function bearerToken(header: string | null | undefined): string | undefined {
  const value = (header ?? "").trim();
  const [, scheme = "", rest = ""] = /^(\S*)(?:[ \t]+(.*))?$/.exec(value) ?? [];
  if (scheme.toLowerCase() !== "bearer") return undefined;
  const token = rest.trim();
  if (!B64TOKEN.test(token)) {
    throw new AuthError(
      "INVALID_AUTH_TOKEN",
      'Cannot read the Authorization header: expected "Bearer <token>"',
    );
  }
  return token;
}
