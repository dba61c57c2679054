/**
 * A room's bans and mutes (CONTRACT §7): `PUT`/`DELETE
 * /rooms/:room/bans/:userId`, `GET /rooms/:room/bans`, and the same under
 * `/mutes`. The permission table decides (in `RoomModeration`).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { TokenService } from "../../auth/tokens.ts";
import { userActor } from "../../moderation/actor.ts";
import type { RoomModeration } from "../../moderation/room_moderation.ts";
import type { RestrictionKind } from "../../store/store.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { restrictionWire } from "../moderation_wire.ts";
import { jsonBody } from "../read_json_body.ts";
import { requireClaims } from "../request_auth.ts";
import { parseRoomName } from "../room_param.ts";
import { RestrictionBody, restrictionOperations } from "../schemas/moderation.ts";

/** Dependencies of {@linkcode restrictionRoutes}. */
export interface RestrictionRoutesDeps {
  readonly tokens: TokenService;
  readonly rooms: RoomModeration;
}

/** The paths of one kind: `bans` or `mutes`. */
const PATHS: Readonly<Record<RestrictionKind, "bans" | "mutes">> = { ban: "bans", mute: "mutes" };

/** Bans and mutes of rooms. */
export function restrictionRoutes(deps: RestrictionRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const kind of ["ban", "mute"] as const) {
    const path = PATHS[kind];
    const operations = restrictionOperations(kind);
    app
      .get(`/rooms/:room/${path}`, describeRoute(operations.list), async (c) => {
        const room = parseRoomName(c.req.param("room"));
        const { user } = await requireClaims(c, deps.tokens);
        const list = await deps.rooms.listRestrictions(userActor(user), kind, room);
        return dataResponse({ [path]: list.map((r) => restrictionWire(r, r.user)) });
      })
      .all(`/rooms/:room/${path}`, methodNotAllowed("GET"))
      .put(
        `/rooms/:room/${path}/:userId`,
        describeRoute(operations.put),
        jsonBody(RestrictionBody),
        async (c) => {
          const room = parseRoomName(c.req.param("room"));
          const userId = parseIdParam(c.req.param("userId"), "user id");
          const { user } = await requireClaims(c, deps.tokens);
          const { until, reason } = c.req.valid("json");
          const restriction = await deps.rooms.restrict(userActor(user), kind, room, userId, {
            untilMs: until,
            reason,
          });
          return dataResponse(restrictionWire(restriction, restriction.user));
        },
      )
      .delete(`/rooms/:room/${path}/:userId`, describeRoute(operations.remove), async (c) => {
        const room = parseRoomName(c.req.param("room"));
        const userId = parseIdParam(c.req.param("userId"), "user id");
        const { user } = await requireClaims(c, deps.tokens);
        return dataResponse({
          removed: await deps.rooms.lift(userActor(user), kind, room, userId),
        });
      })
      .all(`/rooms/:room/${path}/:userId`, methodNotAllowed("PUT", "DELETE"));
  }
  return app;
}
