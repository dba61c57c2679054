/**
 * `POST /logout` (CONTRACT §7): revokes the caller's token, or with
 * `{"all": true}` every token of the caller.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { TokenService } from "../../auth/tokens.ts";
import type { ServerModeration } from "../../moderation/server_moderation.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { jsonBody } from "../read_json_body.ts";
import { requireClaims } from "../request_auth.ts";
import { LOGOUT, LogoutBody } from "../schemas/moderation.ts";

/** Dependencies of {@linkcode logoutRoutes}. */
export interface LogoutDeps {
  readonly tokens: TokenService;
  readonly server: ServerModeration;
}

/** The logout route. */
export function logoutRoutes(deps: LogoutDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post("/logout", describeRoute(LOGOUT), jsonBody(LogoutBody), async (c) => {
      const { all } = c.req.valid("json");
      const claims = await requireClaims(c, deps.tokens);
      await deps.server.logout(claims, all);
      return dataResponse({ revoked: all ? "all" : "token" });
    })
    .all("/logout", methodNotAllowed("POST"));
}
