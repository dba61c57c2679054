/**
 * Users in SQLite: the `users` table, unique on the canonical name.
 *
 * @module
 */
import type { PublicUser, UserRecord } from "../../model.ts";
import type { NewUser, UserStore } from "../api/users.ts";
import { userExists } from "../store_errors.ts";
import { isUniqueViolation, type SqliteContext } from "./db.ts";

/** The user methods over one connection. */
export function sqliteUsers(ctx: SqliteContext): UserStore {
  const { sql, guard, now } = ctx;
  return {
    createUser(user: NewUser): Promise<PublicUser> {
      return guard(() => {
        try {
          const row = sql(
            "INSERT INTO users (username, canonical, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
          ).get(user.username, user.canonical, user.passwordHash, now()) as { id: number };
          return { id: Number(row.id), username: user.username };
        } catch (error) {
          if (isUniqueViolation(error)) throw userExists(user.username);
          throw error;
        }
      });
    },

    findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined> {
      return guard(() => {
        const row = sql("SELECT id, username, password_hash FROM users WHERE canonical = ?").get(
          canonical,
        ) as { id: number; username: string; password_hash: string } | undefined;
        return row &&
          { id: Number(row.id), username: row.username, passwordHash: row.password_hash };
      });
    },

    findUserById(id: number): Promise<PublicUser | undefined> {
      return guard(() => findUser(ctx, id));
    },

    updatePasswordHash(id: number, passwordHash: string): Promise<void> {
      return guard(() => {
        sql("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id);
      });
    },
  };
}

/** The public user of an id, read inside another call. */
export function findUser(ctx: SqliteContext, id: number): PublicUser | undefined {
  const row = ctx.sql("SELECT id, username FROM users WHERE id = ?").get(id) as
    | { id: number; username: string }
    | undefined;
  return row && { id: Number(row.id), username: row.username };
}
