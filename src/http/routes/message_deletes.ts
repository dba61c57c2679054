/**
 * `DELETE /rooms/:room/messages/:seq`: the author, the room's owner and
 * moderators, and server admins delete a message through the message service
 * (permission table, store, bus), so its text leaves the store and every v2
 * member gets the `delete` event, live and on `since`. Mounted before the
 * edit route, whose 405 answers the path's other methods.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { TokenService } from "../../auth/tokens.ts";
import type { MessageModeration } from "../../moderation/message_moderation.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { requireClaims } from "../request_auth.ts";
import { parseRoomName } from "../room_param.ts";
import { DELETE_MESSAGE } from "../schemas/message_deletes.ts";

/** Dependencies of {@linkcode messageDeleteRoutes}. */
export interface MessageDeleteDeps {
  readonly tokens: TokenService;
  readonly messages: MessageModeration;
}

/** The message delete route. */
export function messageDeleteRoutes(deps: MessageDeleteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .delete("/rooms/:room/messages/:seq", describeRoute(DELETE_MESSAGE), async (c, next) => {
      // The socket's path: its own 405 answers.
      if (c.req.param("seq") === "ws") return await next();
      const room = parseRoomName(c.req.param("room"));
      const seq = parseIdParam(c.req.param("seq"), "message seq");
      const { user } = await requireClaims(c, deps.tokens);
      return dataResponse(await deps.messages.deleteAsUser(user, room, seq));
    });
}
