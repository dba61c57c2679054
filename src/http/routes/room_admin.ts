/**
 * Creating rooms and direct-message rooms, and a room's members (CONTRACT
 * §7): `POST /rooms`, `POST /dms`, `GET /rooms/:room/members`,
 * `PUT`/`DELETE /rooms/:room/members/:userId`. The permission table decides
 * (in `RoomModeration`); the handlers only read the request.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { TokenService } from "../../auth/tokens.ts";
import { userActor } from "../../moderation/actor.ts";
import type { RoomModeration } from "../../moderation/room_moderation.ts";
import { optionalClaims, requireClaims } from "../request_auth.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { membershipWire, roomWire } from "../moderation_wire.ts";
import { jsonBody } from "../read_json_body.ts";
import { parseRoomName } from "../room_param.ts";
import {
  CREATE_ROOM,
  DELETE_MEMBER,
  DirectBody,
  LIST_MEMBERS,
  MemberBody,
  NewRoomBody,
  OPEN_DM,
  PUT_MEMBER,
} from "../schemas/moderation.ts";

/** Dependencies of {@linkcode roomAdminRoutes}. */
export interface RoomAdminDeps {
  readonly tokens: TokenService;
  readonly rooms: RoomModeration;
}

/** Room creation, direct messages and members. */
export function roomAdminRoutes(deps: RoomAdminDeps): Hono<AppEnv> {
  const { tokens, rooms } = deps;
  return new Hono<AppEnv>()
    .post("/rooms", describeRoute(CREATE_ROOM), jsonBody(NewRoomBody), async (c) => {
      const { user } = await requireClaims(c, tokens);
      const body = c.req.valid("json");
      const name = parseRoomName(body.name);
      const room = await rooms.createRoom(user, { ...body, name });
      return dataResponse(roomWire(room), 201);
    })
    .post("/dms", describeRoute(OPEN_DM), jsonBody(DirectBody), async (c) => {
      const { user } = await requireClaims(c, tokens);
      const room = await rooms.openDirect(user, c.req.valid("json").userId);
      return dataResponse(roomWire(room));
    })
    .all("/dms", methodNotAllowed("POST"))
    .get("/rooms/:room/members", describeRoute(LIST_MEMBERS), async (c) => {
      const room = parseRoomName(c.req.param("room"));
      const claims = await optionalClaims(c, tokens);
      const members = await rooms.listMembers(claims?.user, room);
      return dataResponse({ members: members.map(membershipWire) });
    })
    .all("/rooms/:room/members", methodNotAllowed("GET"))
    .put(
      "/rooms/:room/members/:userId",
      describeRoute(PUT_MEMBER),
      jsonBody(MemberBody),
      async (c) => {
        const room = parseRoomName(c.req.param("room"));
        const userId = parseIdParam(c.req.param("userId"), "user id");
        const { user } = await requireClaims(c, tokens);
        const membership = await rooms.setMember(
          userActor(user),
          room,
          userId,
          c.req.valid("json").role,
        );
        return dataResponse(membershipWire(membership));
      },
    )
    .delete("/rooms/:room/members/:userId", describeRoute(DELETE_MEMBER), async (c) => {
      const room = parseRoomName(c.req.param("room"));
      const userId = parseIdParam(c.req.param("userId"), "user id");
      const { user } = await requireClaims(c, tokens);
      return dataResponse({ removed: await rooms.removeMember(userActor(user), room, userId) });
    })
    .all("/rooms/:room/members/:userId", methodNotAllowed("PUT", "DELETE"));
}
