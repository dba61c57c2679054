/**
 * The audit log in Deno KV: `["audit", id]`, ids from `["counters", "audit"]`
 * taken in the same checked `atomic()`.
 *
 * @module
 */
import type { AuditEntry, ModerationStore, NewAuditEntry } from "../api/moderation.ts";
import { type KvContext, listAll } from "./context.ts";

/** The audit methods over one handle. */
export function kvAudit(ctx: KvContext): Pick<ModerationStore, "appendAudit" | "listAudit"> {
  const { kv, guard, retry } = ctx;
  return {
    appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
      return guard(() =>
        retry(async () => {
          const counter = await kv.get<number>(["counters", "audit"]);
          const id = (counter.value ?? 0) + 1;
          const stored: AuditEntry = {
            id,
            actor: entry.actor && { id: entry.actor.id, username: entry.actor.username },
            action: entry.action,
            targetUserId: entry.targetUserId,
            room: entry.room,
            detail: entry.detail,
            atMs: entry.atMs,
          };
          const op = kv.atomic()
            .check(counter)
            .set(["counters", "audit"], id)
            .set(["audit", id], stored);
          return { op, value: stored };
        })
      );
    },

    listAudit(options): Promise<AuditEntry[]> {
      return guard(async () => {
        const limit = Math.max(0, options.limit);
        if (limit === 0) return [];
        const selector: Deno.KvListSelector = options.before === undefined
          ? { prefix: ["audit"] }
          : { prefix: ["audit"], end: ["audit", options.before] };
        return (await listAll(kv.list<AuditEntry>(selector, { reverse: true, limit }))).map((e) =>
          e.value
        );
      });
    },
  };
}
