/**
 * The signed-in caller of a REST route: the user of its
 * `Authorization: Bearer` token.
 *
 * @module
 */
import type { TokenService } from "../auth/tokens.ts";
import { AuthError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import { bearerToken } from "./bearer_auth.ts";

/**
 * The user of the request's bearer token.
 *
 * @param header the `Authorization` header
 * @throws {AuthError} `INVALID_AUTH_TOKEN` without a token, or with one that is not valid
 */
export async function callerOf(
  header: string | null | undefined,
  tokens: Pick<TokenService, "verify">,
): Promise<PublicUser> {
  const token = bearerToken(header);
  if (!token) throw new AuthError("INVALID_AUTH_TOKEN", "A bearer token is required");
  return (await tokens.verify(token)).user;
}
