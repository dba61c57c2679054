/**
 * Token revocation in SQLite: `revoked_tokens` (by `jti`, dropped once the
 * token would have expired) and `revoked_users` (one cutoff per user), both
 * indexed by the time they were written for the polling feed.
 *
 * @module
 */
import type { ModerationStore, Revocation, TokenRef } from "../api/moderation.ts";
import type { SqliteContext } from "./db.ts";

/** The revocation methods over one connection. */
export function sqliteRevocations(
  ctx: SqliteContext,
): Pick<
  ModerationStore,
  "revokeToken" | "revokeUserTokens" | "isTokenRevoked" | "listRevocations"
> {
  const { sql, guard, transaction } = ctx;
  return {
    revokeToken(jti: string, expiresAtMs: number, atMs: number): Promise<void> {
      return guard(() =>
        transaction(() => {
          sql("DELETE FROM revoked_tokens WHERE expires_at < ?").run(atMs);
          sql("INSERT OR REPLACE INTO revoked_tokens (jti, expires_at, at) VALUES (?, ?, ?)").run(
            jti,
            expiresAtMs,
            atMs,
          );
        })
      );
    },

    revokeUserTokens(userId: number, beforeMs: number): Promise<void> {
      return guard(() => {
        sql(
          "INSERT INTO revoked_users (user_id, before, at) VALUES (?, ?, ?) " +
            "ON CONFLICT (user_id) DO UPDATE SET before = excluded.before, at = excluded.at " +
            "WHERE excluded.before > before",
        ).run(userId, beforeMs, beforeMs);
      });
    },

    isTokenRevoked(token: TokenRef): Promise<boolean> {
      return guard(() => {
        if (
          token.jti !== undefined &&
          sql("SELECT 1 FROM revoked_tokens WHERE jti = ?").get(token.jti) !== undefined
        ) return true;
        const row = sql("SELECT before FROM revoked_users WHERE user_id = ?").get(token.userId) as
          | { before: number }
          | undefined;
        return row !== undefined && token.issuedAtMs < Number(row.before);
      });
    },

    listRevocations(sinceMs: number): Promise<Revocation[]> {
      return guard(() => {
        const tokens = sql(
          "SELECT jti, expires_at, at FROM revoked_tokens WHERE at > ? ORDER BY at",
        ).all(sinceMs) as unknown as { jti: string; expires_at: number; at: number }[];
        const users = sql(
          "SELECT user_id, before, at FROM revoked_users WHERE at > ? ORDER BY at",
        ).all(sinceMs) as unknown as { user_id: number; before: number; at: number }[];
        const out: Revocation[] = [
          ...tokens.map((row): Revocation => ({
            kind: "token",
            jti: row.jti,
            expiresAtMs: Number(row.expires_at),
            atMs: Number(row.at),
          })),
          ...users.map((row): Revocation => ({
            kind: "user",
            userId: Number(row.user_id),
            beforeMs: Number(row.before),
            atMs: Number(row.at),
          })),
        ];
        return out.sort((a, b) => a.atMs - b.atMs);
      });
    },
  };
}
