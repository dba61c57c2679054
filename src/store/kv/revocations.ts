/**
 * Token revocation in Deno KV: `["revoked_jti", jti]` (expiring when the
 * token would), `["revoked_user", userId]` (the cutoff), and the polling feed
 * `["revocations", atMs, kind, id]`, each entry kept a day. A record and its
 * feed entry are written in one `atomic()`; a newer one replaces the older
 * feed entry.
 *
 * @module
 */
import type { ModerationStore, Revocation, TokenRef } from "../api/moderation.ts";
import { type KvContext, listAll } from "./context.ts";

/** How long the feed keeps an entry. */
const FEED_MS = 86_400_000;

interface Record {
  readonly atMs: number;
}
interface JtiRecord extends Record {
  readonly expiresAtMs: number;
}
interface UserRecord extends Record {
  readonly beforeMs: number;
}

const jtiKey = (jti: string): Deno.KvKey => ["revoked_jti", jti];
const userKey = (userId: number): Deno.KvKey => ["revoked_user", userId];
const feedKey = (atMs: number, kind: string, id: string | number): Deno.KvKey => [
  "revocations",
  atMs,
  kind,
  id,
];

/** The revocation methods over one handle. */
export function kvRevocations(
  ctx: KvContext,
): Pick<
  ModerationStore,
  "revokeToken" | "revokeUserTokens" | "isTokenRevoked" | "listRevocations"
> {
  const { kv, guard, retry } = ctx;
  return {
    revokeToken(jti: string, expiresAtMs: number, atMs: number): Promise<void> {
      return guard(() =>
        retry(async () => {
          const entry = await kv.get<JtiRecord>(jtiKey(jti));
          const value: JtiRecord = { expiresAtMs, atMs };
          const feed: Revocation = { kind: "token", jti, expiresAtMs, atMs };
          const op = kv.atomic()
            .check(entry)
            .set(jtiKey(jti), value, { expireIn: Math.max(1000, expiresAtMs - atMs) })
            .set(feedKey(atMs, "token", jti), feed, { expireIn: FEED_MS });
          if (entry.value && entry.value.atMs !== atMs) {
            op.delete(feedKey(entry.value.atMs, "token", jti));
          }
          return { op, value: undefined };
        })
      );
    },

    revokeUserTokens(userId: number, beforeMs: number): Promise<void> {
      return guard(() =>
        retry(async () => {
          const entry = await kv.get<UserRecord>(userKey(userId));
          if (entry.value && entry.value.beforeMs >= beforeMs) return { value: undefined };
          const feed: Revocation = { kind: "user", userId, beforeMs, atMs: beforeMs };
          const op = kv.atomic()
            .check(entry)
            .set(userKey(userId), { beforeMs, atMs: beforeMs } satisfies UserRecord)
            .set(feedKey(beforeMs, "user", userId), feed, { expireIn: FEED_MS });
          if (entry.value) op.delete(feedKey(entry.value.atMs, "user", userId));
          return { op, value: undefined };
        })
      );
    },

    isTokenRevoked(token: TokenRef): Promise<boolean> {
      return guard(async () => {
        const [jti, user] = await kv.getMany<[JtiRecord, UserRecord]>([
          jtiKey(token.jti ?? ""),
          userKey(token.userId),
        ]);
        if (token.jti !== undefined && jti.value !== null) return true;
        return user.value !== null && token.issuedAtMs < user.value.beforeMs;
      });
    },

    listRevocations(sinceMs: number): Promise<Revocation[]> {
      return guard(async () =>
        (await listAll(kv.list<Revocation>({
          prefix: ["revocations"],
          start: ["revocations", sinceMs, "\u{10FFFF}"],
        }))).map((entry) => entry.value)
      );
    },
  };
}
