/**
 * Middleware that requires `Authorization: Bearer <jwt>` and puts its claims on `c.var.auth`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { TokenService } from "../auth/tokens.ts";
import { AuthError } from "../errors.ts";
import type { AppEnv } from "./env.ts";

/** The token in an `Authorization: Bearer` header, if any. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match?.[1];
}

/** Requires a valid bearer token. */
export function bearerAuth(tokens: TokenService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw new AuthError("INVALID_AUTH_TOKEN", "A bearer token is required");
    c.set("auth", await tokens.verify(token));
    await next();
  };
}
