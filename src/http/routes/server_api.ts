/**
 * The server API for backends (CONTRACT §7), under `/admin/` with
 * `X-API-Key: <ADMIN_API_KEY>`: post into a room as a named bot, delete a
 * message, disconnect a user (on every node), list every room. Mounted only
 * when `ADMIN_API_KEY` is set, so without it these paths answer 404 like any
 * unknown path (and the OpenAPI document does not list them). Server bans
 * are in `admin.ts`, which takes the key too.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { MessageModeration } from "../../moderation/message_moderation.ts";
import type { ServerModeration } from "../../moderation/server_moderation.ts";
import type { Store } from "../../store/store.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { roomWire } from "../moderation_wire.ts";
import { queryParams } from "../query.ts";
import { jsonBody } from "../read_json_body.ts";
import { type AdminAuth, serverActor } from "../request_auth.ts";
import { parseRoomName } from "../room_param.ts";
import {
  ADMIN_ROOMS,
  AdminRoomsQuery,
  BOT_DELETE,
  BOT_POST,
  BotMessageBody,
  BotQuery,
  DEFAULT_ADMIN_PAGE,
  DISCONNECT,
  DisconnectBody,
} from "../schemas/admin.ts";
import { v1Message } from "../../realtime/wire.ts";

/** Dependencies of {@linkcode serverApiRoutes}. */
export interface ServerApiDeps {
  readonly auth: AdminAuth;
  readonly messages: MessageModeration;
  readonly server: ServerModeration;
  readonly store: Pick<Store, "listRoomNames" | "getRoom">;
}

/** The bot a server API delete names when `?bot=` is absent. */
const DEFAULT_BOT = "server";

/** The server API's routes. */
export function serverApiRoutes(deps: ServerApiDeps): Hono<AppEnv> {
  const { auth, messages, server, store } = deps;
  return new Hono<AppEnv>()
    .post(
      "/admin/rooms/:room/messages",
      describeRoute(BOT_POST),
      jsonBody(BotMessageBody),
      async (c) => {
        const room = parseRoomName(c.req.param("room"));
        await serverActor(c, auth);
        const { bot, text } = c.req.valid("json");
        const message = await messages.postAsBot(bot, room, text);
        return dataResponse(v1Message(message), 201);
      },
    )
    .all("/admin/rooms/:room/messages", methodNotAllowed("POST"))
    .delete(
      "/admin/rooms/:room/messages/:seq",
      describeRoute(BOT_DELETE),
      queryParams(BotQuery),
      async (c) => {
        const room = parseRoomName(c.req.param("room"));
        const seq = parseIdParam(c.req.param("seq"), "message seq");
        await serverActor(c, auth);
        const { bot = DEFAULT_BOT } = c.req.valid("query");
        return dataResponse(await messages.deleteAsBot(bot, room, seq));
      },
    )
    .all("/admin/rooms/:room/messages/:seq", methodNotAllowed("DELETE"))
    .post(
      "/admin/users/:id/disconnect",
      describeRoute(DISCONNECT),
      jsonBody(DisconnectBody),
      async (c) => {
        const userId = parseIdParam(c.req.param("id"), "user id");
        const actor = await serverActor(c, auth);
        const given = c.req.valid("json").room;
        const room = given === undefined ? null : parseRoomName(given);
        await server.disconnect(actor, userId, room);
        return dataResponse({ userId, room });
      },
    )
    .all("/admin/users/:id/disconnect", methodNotAllowed("POST"))
    .get("/admin/rooms", describeRoute(ADMIN_ROOMS), queryParams(AdminRoomsQuery), async (c) => {
      await serverActor(c, auth);
      const { cursor, limit = DEFAULT_ADMIN_PAGE } = c.req.valid("query");
      // A cursor the store did not hand out is its 400 BAD_QUERY.
      const page = await store.listRoomNames({ cursor, limit });
      const names = [...new Set(page.names)];
      const records = await Promise.all(names.map((name) => store.getRoom(name)));
      const rooms = records.flatMap((room) => room ? [roomWire(room)] : []);
      return dataResponse({ rooms, next: page.next });
    })
    .all("/admin/rooms", methodNotAllowed("GET"));
}
