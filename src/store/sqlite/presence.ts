/**
 * Presence and shared secrets in SQLite: `presence (room, node)` rows with an
 * expiry, and `secrets (name)`.
 *
 * @module
 */
import type { PublicUser, RoomPresence } from "../../model.ts";
import {
  mergePresence,
  type PresenceSnapshot,
  type PresenceStore,
  type SecretStore,
} from "../api/presence.ts";
import type { SqliteContext } from "./db.ts";

/** The presence and secret methods over one connection. */
export function sqlitePresence(ctx: SqliteContext): PresenceStore & SecretStore {
  const { sql, guard, now } = ctx;
  return {
    putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number) {
      return guard(() => {
        if (snapshot.users.length === 0 && snapshot.anonymous === 0) {
          sql("DELETE FROM presence WHERE room = ? AND node = ?").run(room, node);
          return;
        }
        sql(
          "INSERT INTO presence (node, room, users, anonymous, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (room, node) DO UPDATE SET users = excluded.users, anonymous = excluded.anonymous, expires_at = excluded.expires_at",
        ).run(node, room, JSON.stringify(snapshot.users), snapshot.anonymous, now() + ttlMs);
      });
    },

    roomPresence(room: string): Promise<RoomPresence> {
      return guard(() => {
        const rows = sql(
          "SELECT users, anonymous FROM presence WHERE room = ? AND expires_at > ?",
        ).all(room, now()) as unknown as { users: string; anonymous: number }[];
        return mergePresence(
          rows.map((row) => ({
            users: JSON.parse(row.users) as PublicUser[],
            anonymous: Number(row.anonymous),
          })),
        );
      });
    },

    clearPresence(node: string): Promise<void> {
      return guard(() => {
        sql("DELETE FROM presence WHERE node = ?").run(node);
      });
    },

    getOrCreateSecret(name: string, create: () => string): Promise<string> {
      return guard(() => {
        const select = sql("SELECT value FROM secrets WHERE name = ?");
        const existing = select.get(name) as { value: string } | undefined;
        if (existing) return existing.value;
        sql("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").run(
          name,
          create(),
        );
        return (select.get(name) as { value: string }).value;
      });
    },
  };
}
