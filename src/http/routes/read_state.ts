/**
 * Read state: `GET /users/me/rooms` (the caller's rooms with `lastRead`,
 * `lastSeq` and `unread`) and `PUT /rooms/:room/read` (moves `lastRead`, and
 * the caller's sockets in the room get a `read` event on every node).
 *
 * Both keep to what the caller may read: a private room it posted in but is
 * no longer a member of leaves its list, and marking a room read needs the
 * permission table's `read` (so its answer, clamped to the room's last `seq`,
 * tells an outsider nothing of a private room).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { RoomAccess } from "../../auth/room_access.ts";
import type { TokenService } from "../../auth/tokens.ts";
import type { RoomActions } from "../../chat/room_actions.ts";
import type { Store, UserRoom } from "../../store/store.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { jsonBody } from "../read_json_body.ts";
import { requireClaims } from "../request_auth.ts";
import { parseRoomName } from "../room_param.ts";
import { MARK_READ, MY_ROOMS, ReadBody } from "../schemas/read_state.ts";

/** Dependencies of {@linkcode readStateRoutes}. */
export interface ReadStateDeps {
  readonly tokens: Pick<TokenService, "verify">;
  readonly store: Pick<Store, "listUserRooms">;
  readonly actions: Pick<RoomActions, "markRead">;
  /** The permission table's facts; without it every room is readable. */
  readonly access?: Pick<RoomAccess, "check" | "isAdmin">;
}

/** Whether the caller may see a room of its list: a private one only as a member (or an admin). */
function visible(room: UserRoom, admin: boolean): boolean {
  return room.visibility === "public" || room.role !== null || admin;
}

/** A user's room as the route answers it. */
function toWire(room: UserRoom) {
  return {
    name: room.name,
    title: room.title,
    visibility: room.visibility,
    direct: room.direct,
    role: room.role,
    lastSeq: room.lastSeq,
    lastMessageAt: room.lastMessageAtMs === null
      ? null
      : new Date(room.lastMessageAtMs).toISOString(),
    lastRead: room.lastRead,
    unread: room.unread,
  };
}

/** The read-state routes. */
export function readStateRoutes(deps: ReadStateDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get("/users/me/rooms", describeRoute(MY_ROOMS), async (c) => {
      const { user } = await requireClaims(c, deps.tokens);
      const rooms = await deps.store.listUserRooms(user.id);
      const admin = deps.access?.isAdmin(user) ?? false;
      return dataResponse({ rooms: rooms.filter((room) => visible(room, admin)).map(toWire) });
    })
    .all("/users/me/rooms", methodNotAllowed("GET"))
    .put("/rooms/:room/read", describeRoute(MARK_READ), jsonBody(ReadBody), async (c) => {
      const room = parseRoomName(c.req.param("room"));
      const { user } = await requireClaims(c, deps.tokens);
      const { seq } = c.req.valid("json");
      await deps.access?.check(user, room, "read", `mark room "${room}" read`);
      const lastRead = await deps.actions.markRead(room, user, seq);
      return dataResponse({ room, lastRead });
    })
    .all("/rooms/:room/read", methodNotAllowed("PUT"));
}
