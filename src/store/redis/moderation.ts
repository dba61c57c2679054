/**
 * Restrictions in Redis: one hash per kind and scope
 * (`restrict:<kind>:room:<room>`, `restrict:<kind>:server`), user id → the
 * restriction's JSON. Reads filter on `untilMs`.
 *
 * @module
 */
import type { ModerationStore, Restriction } from "../api/moderation.ts";
import type { RedisContext } from "./context.ts";

const inForce = (r: Restriction, atMs: number) => r.untilMs === null || atMs < r.untilMs;

/** The restriction methods over one client. */
export function redisRestrictions(
  ctx: RedisContext,
): Pick<
  ModerationStore,
  "putRestriction" | "removeRestriction" | "findRestriction" | "listRestrictions"
> {
  const { client, key, guard } = ctx;
  return {
    putRestriction(restriction: Restriction): Promise<Restriction> {
      return guard(async () => {
        const value: Restriction = { ...restriction };
        await client.hSet(
          key.restrictions(value.kind, value.room),
          String(value.userId),
          JSON.stringify(value),
        );
        return value;
      });
    },

    removeRestriction(kind, room, userId): Promise<boolean> {
      return guard(async () =>
        Number(await client.hDel(key.restrictions(kind, room), String(userId))) > 0
      );
    },

    findRestriction(kind, room, userId, atMs): Promise<Restriction | undefined> {
      return guard(async () => {
        const raw = await client.hGet(key.restrictions(kind, room), String(userId));
        if (typeof raw !== "string") return undefined;
        const value = JSON.parse(raw) as Restriction;
        return inForce(value, atMs) ? value : undefined;
      });
    },

    listRestrictions(kind, room, atMs): Promise<Restriction[]> {
      return guard(async () => {
        const all = await client.hGetAll(key.restrictions(kind, room)) as Record<string, string>;
        return Object.values(all)
          .map((raw) => JSON.parse(raw) as Restriction)
          .filter((value) => inForce(value, atMs))
          .sort((a, b) => a.userId - b.userId);
      });
    },
  };
}
