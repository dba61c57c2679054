/**
 * The audit log in Redis: ids from `audit:next` (`INCR`), entries in the
 * sorted set `audit` scored by id, written by one script.
 *
 * @module
 */
import { RedisScript } from "../../redis/script.ts";
import type { AuditEntry, ModerationStore, NewAuditEntry } from "../api/moderation.ts";
import type { RedisContext } from "./context.ts";

// KEYS: counter, audit set. ARGV: the entry's JSON without id. Returns the id.
const APPEND_AUDIT = new RedisScript(`
local id = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], id, '{"id":' .. id .. ',' .. string.sub(ARGV[1], 2))
return id
`);

/** The audit methods over one client. */
export function redisAudit(ctx: RedisContext): Pick<ModerationStore, "appendAudit" | "listAudit"> {
  const { client, key, guard, send } = ctx;
  return {
    appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
      return guard(async () => {
        const body: NewAuditEntry = {
          actor: entry.actor && { id: entry.actor.id, username: entry.actor.username },
          action: entry.action,
          targetUserId: entry.targetUserId,
          room: entry.room,
          detail: entry.detail,
          atMs: entry.atMs,
        };
        const id = Number(
          await APPEND_AUDIT.run(client, [key.auditCounter, key.audit], [JSON.stringify(body)]),
        );
        return { id, ...body };
      });
    },

    listAudit(options): Promise<AuditEntry[]> {
      return guard(async () => {
        const limit = Math.max(0, options.limit);
        if (limit === 0) return [];
        const high = options.before === undefined ? "+inf" : `(${options.before}`;
        const raw = await send([
          "ZRANGE",
          key.audit,
          high,
          "-inf",
          "BYSCORE",
          "REV",
          "LIMIT",
          "0",
          String(limit),
        ]) as string[];
        return raw.map((member) => JSON.parse(member) as AuditEntry);
      });
    },
  };
}
