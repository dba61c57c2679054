/**
 * The public room directory, `GET /rooms?cursor=&limit=`: public rooms, most
 * recently active first, read from the store's index, each with who is
 * online now (the store's presence, across every node).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { RoomRecord, Store } from "../../store/store.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { queryParams } from "../query.ts";
import { DEFAULT_DIRECTORY_PAGE, DIRECTORY, DirectoryQuery } from "../schemas/directory.ts";

/** Dependencies of {@linkcode directoryRoutes}. */
export interface DirectoryDeps {
  readonly store: Pick<Store, "listRooms" | "roomPresence">;
}

/** One directory entry: the room and who is online in it. */
async function entry(store: DirectoryDeps["store"], room: RoomRecord) {
  const presence = await store.roomPresence(room.name);
  return {
    name: room.name,
    title: room.title,
    visibility: room.visibility,
    lastSeq: room.lastSeq,
    lastMessageAt: room.lastMessageAtMs === null
      ? null
      : new Date(room.lastMessageAtMs).toISOString(),
    online: { users: presence.users.length, anonymous: presence.anonymous },
  };
}

/** The directory route. */
export function directoryRoutes(deps: DirectoryDeps): Hono<AppEnv> {
  const { store } = deps;
  return new Hono<AppEnv>()
    .get("/rooms", describeRoute(DIRECTORY), queryParams(DirectoryQuery), async (c) => {
      const { cursor, limit = DEFAULT_DIRECTORY_PAGE } = c.req.valid("query");
      const page = await store.listRooms({ cursor, limit });
      const rooms = await Promise.all(page.rooms.map((room) => entry(store, room)));
      return dataResponse({ rooms, next: page.next });
    })
    // `POST /rooms` (creating a room, routes/room_admin.ts) is mounted before this.
    .all("/rooms", methodNotAllowed("GET", "POST"));
}
