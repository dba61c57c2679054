/**
 * Who calls a moderation route: the verified token of `Authorization: Bearer`
 * (with its `jti`, for logout), or the server API's `X-API-Key` (compared in
 * constant time), as an {@linkcode Actor} for the moderation services.
 *
 * @module
 */
import type { Context } from "hono";
import { timingSafeEqual } from "../auth/timing_safe_equal.ts";
import type { TokenClaims, TokenService } from "../auth/tokens.ts";
import { AuthError, NotFoundError } from "../errors.ts";
import { type Actor, SERVER_ACTOR, userActor } from "../moderation/actor.ts";
import { bearerToken } from "./bearer_auth.ts";
import type { AppEnv } from "./env.ts";

/** The verified token of the request, or `undefined` without one. */
export async function optionalClaims(
  c: Context<AppEnv>,
  tokens: Pick<TokenService, "verify">,
): Promise<TokenClaims | undefined> {
  const token = bearerToken(c.req.header("authorization"));
  return token ? await tokens.verify(token) : undefined;
}

/**
 * The verified token of the request.
 *
 * @throws {AuthError} `INVALID_AUTH_TOKEN` without a valid, unrevoked token
 */
export async function requireClaims(
  c: Context<AppEnv>,
  tokens: Pick<TokenService, "verify">,
): Promise<TokenClaims> {
  const claims = await optionalClaims(c, tokens);
  if (!claims) throw new AuthError("INVALID_AUTH_TOKEN", "A bearer token is required");
  return claims;
}

/** The header that carries the server API's key. */
const API_KEY_HEADER = "x-api-key";

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Checks `X-API-Key` against `ADMIN_API_KEY`: both are hashed first, so the
 * comparison takes the same time whatever the given key's length.
 */
export function apiKeyChecker(key: string): (given: string) => Promise<boolean> {
  const expected = digest(key);
  return async (given) => timingSafeEqual(await digest(given), await expected);
}

/** How {@linkcode adminActor} knows the server API's key. */
export interface AdminAuth {
  readonly tokens: TokenService;
  /** `undefined` when `ADMIN_API_KEY` is unset. */
  readonly apiKey: ((given: string) => Promise<boolean>) | undefined;
}

/**
 * The server API when the request carries the right `X-API-Key`, otherwise the
 * bearer token's user (the permission table then decides whether it is an admin).
 *
 * @throws {NotFoundError} `NOT_FOUND` for an `X-API-Key` while the server API is off
 * @throws {AuthError} `INVALID_API_KEY` for a wrong key, `INVALID_AUTH_TOKEN` without a token
 */
export async function adminActor(c: Context<AppEnv>, auth: AdminAuth): Promise<Actor> {
  if (c.req.header(API_KEY_HEADER) !== undefined) return await serverActor(c, auth);
  return userActor((await requireClaims(c, auth.tokens)).user);
}

/**
 * The server API, for a request with the right `X-API-Key`.
 *
 * @throws {NotFoundError} `NOT_FOUND` while the server API is off
 * @throws {AuthError} `INVALID_API_KEY` for a missing or wrong key
 */
export async function serverActor(c: Context<AppEnv>, auth: AdminAuth): Promise<Actor> {
  if (!auth.apiKey) throw new NotFoundError("NOT_FOUND", `No route for ${c.req.path}`);
  const given = c.req.header(API_KEY_HEADER);
  if (given === undefined || !(await auth.apiKey(given))) {
    throw new AuthError("INVALID_API_KEY", "The X-API-Key header is missing or wrong");
  }
  return SERVER_ACTOR;
}
