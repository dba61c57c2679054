/**
 * Room REST routes: history pages, room info, presence.
 *
 * @module
 */
import { Hono } from "hono";
import type { Store } from "../../store/store.ts";
import { parseRoomName } from "../../realtime/room_name.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { intParam } from "../query.ts";

/** The largest history page. */
export const MAX_PAGE = 100;
/** The history page size when `limit` is absent. */
export const DEFAULT_PAGE = 50;

/** History, room info and presence. */
export function roomRoutes(deps: { store: Store }): Hono<AppEnv> {
  const { store } = deps;
  return new Hono<AppEnv>()
    .get("/rooms/:room/messages", async (c) => {
      const room = parseRoomName(c.req.param("room"));
      const before = intParam(c.req.queries("before"), "before", 1, Number.MAX_SAFE_INTEGER);
      const limit = intParam(c.req.queries("limit"), "limit", 1, MAX_PAGE) ?? DEFAULT_PAGE;
      const page = await store.listMessages(room, { before, limit: limit + 1 });
      const hasMore = page.length > limit;
      return dataResponse({ messages: hasMore ? page.slice(1) : page, hasMore });
    })
    .all("/rooms/:room/messages", methodNotAllowed("GET"))
    .get("/rooms/:room/users", async (c) => {
      const room = parseRoomName(c.req.param("room"));
      const presence = await store.roomPresence(room);
      return dataResponse({ users: presence.users, anonymous: presence.anonymous });
    })
    .all("/rooms/:room/users", methodNotAllowed("GET"))
    .get("/rooms/:room", async (c) => {
      const room = parseRoomName(c.req.param("room"));
      const [lastSeq, presence] = await Promise.all([
        store.lastSeq(room),
        store.roomPresence(room),
      ]);
      return dataResponse({
        name: room,
        lastSeq,
        online: { users: presence.users.length, anonymous: presence.anonymous },
      });
    })
    .all("/rooms/:room", methodNotAllowed("GET"));
}
