/**
 * Presence and shared secrets in Deno KV: `["presence", room, node, part]`
 * with `expireIn`, each part up to {@linkcode PRESENCE_USERS_PER_KEY} users
 * (KV values stop at 64 KiB), and `["secrets", name]`.
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
import type { KvContext } from "./context.ts";

interface StoredPresence extends PresenceSnapshot {
  expiresAt: number;
}

/**
 * Users per presence key: 200 names of at most 64 code points stay well
 * under KV's 64 KiB value limit.
 */
const PRESENCE_USERS_PER_KEY = 200;

/** The presence and secret methods over one handle. */
export function kvPresence(ctx: KvContext): PresenceStore & SecretStore {
  const { kv, guard, retry, now } = ctx;
  /** node → room → how many parts its snapshot there has. */
  const nodesSeen = new Map<string, Map<string, number>>();
  return {
    putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number) {
      return guard(async () => {
        let rooms = nodesSeen.get(node);
        if (!rooms) nodesSeen.set(node, rooms = new Map());
        const before = rooms.get(room) ?? 0;
        const parts: PublicUser[][] = [];
        for (let i = 0; i < snapshot.users.length; i += PRESENCE_USERS_PER_KEY) {
          parts.push(snapshot.users.slice(i, i + PRESENCE_USERS_PER_KEY));
        }
        if (parts.length === 0 && snapshot.anonymous > 0) parts.push([]);
        const op = kv.atomic();
        const expiresAt = now() + ttlMs;
        parts.forEach((users, part) => {
          const value: StoredPresence = {
            users,
            anonymous: part === 0 ? snapshot.anonymous : 0,
            expiresAt,
          };
          op.set(["presence", room, node, part], value, { expireIn: ttlMs });
        });
        for (let part = parts.length; part < before; part++) {
          op.delete(["presence", room, node, part]);
        }
        await op.commit();
        if (parts.length > 0) rooms.set(room, parts.length);
        else rooms.delete(room);
      });
    },

    roomPresence(room: string): Promise<RoomPresence> {
      return guard(async () => {
        const rows: StoredPresence[] = [];
        const at = now();
        // KV deletes expired keys lazily, so the expiry is also checked here.
        for await (const entry of kv.list<StoredPresence>({ prefix: ["presence", room] })) {
          if (entry.value.expiresAt > at) rows.push(entry.value);
        }
        return mergePresence(rows);
      });
    },

    clearPresence(node: string): Promise<void> {
      return guard(async () => {
        for (const [room, parts] of nodesSeen.get(node) ?? []) {
          const op = kv.atomic();
          for (let part = 0; part < parts; part++) op.delete(["presence", room, node, part]);
          await op.commit();
        }
        nodesSeen.delete(node);
      });
    },

    getOrCreateSecret(name: string, create: () => string): Promise<string> {
      return guard(() =>
        retry<string>(async () => {
          const entry = await kv.get<string>(["secrets", name]);
          if (entry.value !== null) return { value: entry.value };
          const value = create();
          return { op: kv.atomic().check(entry).set(entry.key, value), value };
        })
      );
    },
  };
}
