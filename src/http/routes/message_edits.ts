/**
 * `PATCH /rooms/:room/messages/:seq {"text"}`: a message's author replaces its
 * text through the message service (permission check, store, bus), so every
 * member of the room gets the `edit` event, on every node.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { TokenService } from "../../auth/tokens.ts";
import type { RoomActions } from "../../chat/room_actions.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { jsonBody } from "../read_json_body.ts";
import { requireClaims } from "../request_auth.ts";
import { parseRoomName } from "../room_param.ts";
import { EDIT_MESSAGE, EditBody } from "../schemas/message_edits.ts";

/** Dependencies of {@linkcode messageEditRoutes}. */
export interface MessageEditDeps {
  readonly tokens: Pick<TokenService, "verify">;
  readonly actions: Pick<RoomActions, "edit">;
}

/** The message edit route (the delete route of the permission module sits beside it). */
export function messageEditRoutes(deps: MessageEditDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .patch(
      "/rooms/:room/messages/:seq",
      describeRoute(EDIT_MESSAGE),
      jsonBody(EditBody),
      async (c) => {
        const room = parseRoomName(c.req.param("room"));
        const target = parseIdParam(c.req.param("seq"), "message seq");
        const { user } = await requireClaims(c, deps.tokens);
        const { text } = c.req.valid("json");
        const { message } = await deps.actions.edit({ room, user, target, text });
        return dataResponse(message);
      },
    )
    // `DELETE` (routes/message_deletes.ts) is mounted before this; `/messages/ws` is the
    // socket's path, whose own 405 (routes/room_socket.ts) answers it.
    .all(
      "/rooms/:room/messages/:seq",
      (c, next) =>
        c.req.param("seq") === "ws" ? next() : methodNotAllowed("PATCH", "DELETE")(c, next),
    );
}
