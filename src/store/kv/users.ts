/**
 * Users in Deno KV: the record under `["users", id]`, unique names by index
 * keys written in the same `atomic()` with a `versionstamp: null` check.
 *
 * @module
 */
import { toHex } from "../../hex.ts";
import type { PublicUser, UserRecord } from "../../model.ts";
import type { NewUser, UserStore } from "../api/users.ts";
import { userExists } from "../store_errors.ts";
import type { KvContext } from "./context.ts";
import { keys } from "./keys.ts";

/** Canonical names longer than this many UTF-8 bytes are keyed by their digest. */
const MAX_NAME_KEY_BYTES = 1024;

/** The key of a canonical name in the unique-name index. */
async function nameKeyOf(canonical: string): Promise<Deno.KvKey> {
  const bytes = new TextEncoder().encode(canonical);
  if (bytes.byteLength <= MAX_NAME_KEY_BYTES) return ["users_by_name", canonical];
  return ["users_by_name_sha256", toHex(await crypto.subtle.digest("SHA-256", bytes))];
}

/** The user methods over one handle. */
export function kvUsers(ctx: KvContext): UserStore {
  const { kv, guard, retry } = ctx;
  return {
    createUser(user: NewUser): Promise<PublicUser> {
      return guard(() =>
        retry(async () => {
          const nameKey = await nameKeyOf(user.canonical);
          const [counter, byName] = await kv.getMany<[number, number]>([
            ["counters", "users"],
            nameKey,
          ]);
          if (byName.value !== null) throw userExists(user.username);
          const id = (counter.value ?? 0) + 1;
          const record: UserRecord = {
            id,
            username: user.username,
            passwordHash: user.passwordHash,
          };
          const op = kv.atomic()
            .check(counter)
            .check({ key: byName.key, versionstamp: null })
            .set(["counters", "users"], id)
            .set(nameKey, id)
            .set(keys.user(id), record);
          return { op, value: { id, username: user.username } };
        })
      );
    },

    findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined> {
      return guard(async () => {
        const id = await kv.get<number>(await nameKeyOf(canonical));
        if (id.value === null) return undefined;
        const user = await kv.get<UserRecord>(keys.user(id.value));
        return user.value ?? undefined;
      });
    },

    findUserById(id: number): Promise<PublicUser | undefined> {
      return guard(async () => {
        const user = await kv.get<UserRecord>(keys.user(id));
        return user.value ? { id: user.value.id, username: user.value.username } : undefined;
      });
    },

    updatePasswordHash(id: number, passwordHash: string): Promise<void> {
      return guard(() =>
        retry(async () => {
          const user = await kv.get<UserRecord>(keys.user(id));
          if (!user.value) return { value: undefined };
          const op = kv.atomic().check(user).set(keys.user(id), { ...user.value, passwordHash });
          return { op, value: undefined };
        })
      );
    },
  };
}
