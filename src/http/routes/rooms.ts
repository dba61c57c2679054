/**
 * Room REST routes: history pages, room info, presence. Each route's query
 * and responses are described by the schemas of `../schemas/rooms.ts`.
 *
 * @module
 */
import { Hono } from "hono";
import { validator } from "hono/validator";
import { describeRoute } from "hono-openapi";
import type { Store } from "../../store/store.ts";
import type { RoomReadGate } from "../room_read_gate.ts";
import { parseRoomName } from "../room_param.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { queryParams } from "../query.ts";
import { DEFAULT_PAGE, HISTORY, HistoryQuery, ROOM_INFO, ROOM_USERS } from "../schemas/rooms.ts";

/** Checks `:room` (`BAD_ROOM_NAME`) before anything else; the handler reads `c.req.valid("param")`. */
const roomParam = validator("param", (param: Record<string, string>) => ({
  room: parseRoomName(param.room ?? ""),
}));

/** History, room info and presence. */
export function roomRoutes(deps: { store: Store; readable?: RoomReadGate }): Hono<AppEnv> {
  const { store } = deps;
  // Private rooms: members and admins only (a public room reads no token).
  const readable: RoomReadGate = deps.readable ?? (() => Promise.resolve());
  return new Hono<AppEnv>()
    .get(
      "/rooms/:room/messages",
      describeRoute(HISTORY),
      roomParam,
      queryParams(HistoryQuery),
      async (c) => {
        const { room } = c.req.valid("param");
        const { before, limit = DEFAULT_PAGE } = c.req.valid("query");
        await readable(c, room);
        const page = await store.listMessages(room, { before, limit: limit + 1 });
        const hasMore = page.length > limit;
        const response = dataResponse({ messages: hasMore ? page.slice(1) : page, hasMore });
        // The page that reaches the oldest kept message says where retention cut: "no more" is never silent.
        const oldest = hasMore ? 1 : await store.oldestKeptSeq(room);
        if (oldest > 1) response.headers.set("x-oldest-kept-seq", String(oldest));
        return response;
      },
    )
    .all("/rooms/:room/messages", methodNotAllowed("GET"))
    .get("/rooms/:room/users", describeRoute(ROOM_USERS), roomParam, async (c) => {
      const { room } = c.req.valid("param");
      await readable(c, room);
      const presence = await store.roomPresence(room);
      return dataResponse({ users: presence.users, anonymous: presence.anonymous });
    })
    .all("/rooms/:room/users", methodNotAllowed("GET"))
    .get("/rooms/:room", describeRoute(ROOM_INFO), roomParam, async (c) => {
      const { room } = c.req.valid("param");
      await readable(c, room);
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
