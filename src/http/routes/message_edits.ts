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
import { ValidationError } from "../../errors.ts";
import { callerOf } from "../caller.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { jsonBody } from "../read_json_body.ts";
import { parseRoomName } from "../room_param.ts";
import { EDIT_MESSAGE, EditBody } from "../schemas/message_edits.ts";

/** Dependencies of {@linkcode messageEditRoutes}. */
export interface MessageEditDeps {
  readonly tokens: Pick<TokenService, "verify">;
  readonly actions: Pick<RoomActions, "edit">;
}

/**
 * The `:seq` path parameter: a positive integer.
 *
 * @throws {ValidationError} `BAD_QUERY`
 */
export function parseSeqParam(raw: string): number {
  const seq = Number(raw);
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(seq)) {
    throw new ValidationError(
      "BAD_QUERY",
      `Cannot use message "${raw.slice(0, 40)}": seq must be a positive integer`,
    );
  }
  return seq;
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
        const target = parseSeqParam(c.req.param("seq"));
        const user = await callerOf(c.req.header("authorization"), deps.tokens);
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
