/**
 * Token revocation in Redis: `revoked:<jti>` (expiring when the token would),
 * `revoked_user:<user id>` (the cutoff), and the polling feed `revocations`,
 * a sorted set by time trimmed to the last day. Each value is the
 * revocation's JSON, which is also its feed member, so a newer one replaces
 * the older member in the same script.
 *
 * @module
 */
import { RedisScript } from "../../redis/script.ts";
import type { ModerationStore, Revocation, TokenRef } from "../api/moderation.ts";
import type { RedisContext } from "./context.ts";

/** How long the feed keeps an entry (by the entries' own times). */
const FEED_MS = 86_400_000;

// KEYS: record, feed. ARGV: JSON, at, ttl ms ('' for none), trim bound, cutoff or ''
// (for a user: written only when it moves the cutoff forward). Returns 1 when written.
const REVOKE = new RedisScript(`
local old = redis.call('GET', KEYS[1])
if old then
  if ARGV[5] ~= '' then
    local ok, record = pcall(cjson.decode, old)
    if ok and type(record) == 'table' and tonumber(record.beforeMs) >= tonumber(ARGV[5]) then
      return 0
    end
  end
  redis.call('ZREM', KEYS[2], old)
end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
return 1
`);

/** The revocation methods over one client. */
export function redisRevocations(
  ctx: RedisContext,
): Pick<
  ModerationStore,
  "revokeToken" | "revokeUserTokens" | "isTokenRevoked" | "listRevocations"
> {
  const { client, key, guard, send } = ctx;
  return {
    revokeToken(jti: string, expiresAtMs: number, atMs: number): Promise<void> {
      return guard(async () => {
        const value: Revocation = { kind: "token", jti, expiresAtMs, atMs };
        await REVOKE.run(client, [key.revokedToken(jti), key.revocations], [
          JSON.stringify(value),
          String(atMs),
          String(Math.max(1000, Math.ceil(expiresAtMs - atMs))),
          String(atMs - FEED_MS),
          "",
        ]);
      });
    },

    revokeUserTokens(userId: number, beforeMs: number): Promise<void> {
      return guard(async () => {
        const value: Revocation = { kind: "user", userId, beforeMs, atMs: beforeMs };
        await REVOKE.run(client, [key.revokedUser(userId), key.revocations], [
          JSON.stringify(value),
          String(beforeMs),
          "",
          String(beforeMs - FEED_MS),
          String(beforeMs),
        ]);
      });
    },

    isTokenRevoked(token: TokenRef): Promise<boolean> {
      return guard(async () => {
        const [jti, user] = await Promise.all([
          token.jti === undefined ? null : client.get(key.revokedToken(token.jti)),
          client.get(key.revokedUser(token.userId)),
        ]);
        if (typeof jti === "string") return true;
        if (typeof user !== "string") return false;
        return token.issuedAtMs < (JSON.parse(user) as { beforeMs: number }).beforeMs;
      });
    },

    listRevocations(sinceMs: number): Promise<Revocation[]> {
      return guard(async () => {
        const raw = await send([
          "ZRANGE",
          key.revocations,
          `(${sinceMs}`,
          "+inf",
          "BYSCORE",
        ]) as string[];
        return raw.map((member) => JSON.parse(member) as Revocation);
      });
    },
  };
}
