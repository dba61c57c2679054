/**
 * Reads the token of an `Authorization: Bearer <jwt>` header.
 *
 * @module
 */

/** The token in an `Authorization: Bearer` header, if any. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match?.[1];
}
