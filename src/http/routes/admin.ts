/**
 * The admin routes (CONTRACT §7), for a server admin's bearer token or the
 * server API's `X-API-Key`: `PUT`/`DELETE /admin/users/:id/ban` (server-wide
 * bans) and `GET /admin/audit` (the audit log). The permission table decides
 * (in `ServerModeration`): anyone else gets 403.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { ServerModeration } from "../../moderation/server_moderation.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { auditWire, restrictionWire } from "../moderation_wire.ts";
import { queryParams } from "../query.ts";
import { jsonBody } from "../read_json_body.ts";
import { adminActor, type AdminAuth } from "../request_auth.ts";
import { AUDIT, AuditQuery, BAN_USER, DEFAULT_ADMIN_PAGE, UNBAN_USER } from "../schemas/admin.ts";
import { RestrictionBody } from "../schemas/moderation.ts";

/** Dependencies of {@linkcode adminRoutes}. */
export interface AdminRoutesDeps {
  readonly auth: AdminAuth;
  readonly server: ServerModeration;
  readonly store: {
    findUserById(id: number): Promise<{ id: number; username: string } | undefined>;
  };
}

/** Server bans and the audit log. */
export function adminRoutes(deps: AdminRoutesDeps): Hono<AppEnv> {
  const { auth, server } = deps;
  return new Hono<AppEnv>()
    .put("/admin/users/:id/ban", describeRoute(BAN_USER), jsonBody(RestrictionBody), async (c) => {
      const userId = parseIdParam(c.req.param("id"), "user id");
      const actor = await adminActor(c, auth);
      const { until, reason } = c.req.valid("json");
      const ban = await server.banUser(actor, userId, { untilMs: until, reason });
      return dataResponse(restrictionWire(ban, await deps.store.findUserById(userId)));
    })
    .delete("/admin/users/:id/ban", describeRoute(UNBAN_USER), async (c) => {
      const userId = parseIdParam(c.req.param("id"), "user id");
      const actor = await adminActor(c, auth);
      return dataResponse({ removed: await server.unbanUser(actor, userId) });
    })
    .all("/admin/users/:id/ban", methodNotAllowed("PUT", "DELETE"))
    .get("/admin/audit", describeRoute(AUDIT), queryParams(AuditQuery), async (c) => {
      const actor = await adminActor(c, auth);
      const { before, limit = DEFAULT_ADMIN_PAGE } = c.req.valid("query");
      const entries = await server.listAudit(actor, { before, limit: limit + 1 });
      const page = entries.slice(0, limit);
      const next = entries.length > limit ? page[page.length - 1]!.id : null;
      return dataResponse({ entries: page.map(auditWire), next });
    })
    .all("/admin/audit", methodNotAllowed("GET"));
}
