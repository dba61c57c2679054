/**
 * Restrictions in Deno KV: `["restrictions", kind, scope, userId]`, the
 * scope being the room's name or `""` for the server. Reads filter on
 * `untilMs` (KV's own expiry runs on the wall clock, not the caller's).
 *
 * @module
 */
import type { ModerationStore, Restriction } from "../api/moderation.ts";
import { type KvContext, listAll } from "./context.ts";

const key = (kind: string, room: string | null, userId: number): Deno.KvKey => [
  "restrictions",
  kind,
  room ?? "",
  userId,
];

const inForce = (r: Restriction, atMs: number) => r.untilMs === null || atMs < r.untilMs;

/** The restriction methods over one handle. */
export function kvRestrictions(
  ctx: KvContext,
): Pick<
  ModerationStore,
  "putRestriction" | "removeRestriction" | "findRestriction" | "listRestrictions"
> {
  const { kv, guard } = ctx;
  return {
    putRestriction(restriction: Restriction): Promise<Restriction> {
      return guard(async () => {
        const value: Restriction = { ...restriction };
        await kv.set(key(value.kind, value.room, value.userId), value);
        return value;
      });
    },

    removeRestriction(kind, room, userId): Promise<boolean> {
      return guard(async () => {
        const entry = await kv.get(key(kind, room, userId));
        if (entry.value === null) return false;
        const result = await kv.atomic().check(entry).delete(entry.key).commit();
        return result.ok;
      });
    },

    findRestriction(kind, room, userId, atMs): Promise<Restriction | undefined> {
      return guard(async () => {
        const value = (await kv.get<Restriction>(key(kind, room, userId))).value;
        return value !== null && inForce(value, atMs) ? value : undefined;
      });
    },

    listRestrictions(kind, room, atMs): Promise<Restriction[]> {
      return guard(async () =>
        (await listAll(kv.list<Restriction>({ prefix: ["restrictions", kind, room ?? ""] })))
          .map((entry) => entry.value)
          .filter((value) => inForce(value, atMs))
      );
    },
  };
}
