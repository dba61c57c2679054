/**
 * The Deno KV store. Keys are namespaced tuples (listed in `kv/keys.ts`);
 * uniqueness and the per-room `seq` are kept by `atomic()` checks, retried on
 * conflict. One module per concern under `kv/`, composed here over one handle.
 *
 * @module
 */
import type { Store } from "./store.ts";
import { kvAudit } from "./kv/audit.ts";
import { kvContext } from "./kv/context.ts";
import { kvMessages } from "./kv/messages.ts";
import { migrateKv } from "./kv/migrate.ts";
import { kvRestrictions } from "./kv/moderation.ts";
import { kvPresence } from "./kv/presence.ts";
import { kvReadState } from "./kv/read_state.ts";
import { kvRetention } from "./kv/retention.ts";
import { kvRevocations } from "./kv/revocations.ts";
import { kvRooms } from "./kv/rooms.ts";
import { kvUsers } from "./kv/users.ts";

/** Options for {@linkcode openKvStore}. */
export interface KvStoreOptions {
  /** A file path, `:memory:`, or `undefined` for Deno's default (Deno Deploy's KV). */
  path?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Opens a KV store, bringing data written by an older server up to date. */
export async function openKvStore(options: KvStoreOptions = {}): Promise<Store> {
  if (options.path && options.path !== ":memory:") {
    const dir = options.path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== options.path) await Deno.mkdir(dir, { recursive: true });
  }
  const kv = await Deno.openKv(options.path);
  try {
    await migrateKv(kv);
  } catch (error) {
    kv.close();
    throw error;
  }
  const ctx = kvContext(kv, options.now ?? Date.now);
  return {
    ...kvUsers(ctx),
    ...kvMessages(ctx),
    ...kvRooms(ctx),
    ...kvReadState(ctx),
    ...kvRestrictions(ctx),
    ...kvRevocations(ctx),
    ...kvAudit(ctx),
    ...kvRetention(ctx),
    ...kvPresence(ctx),

    ping(): Promise<void> {
      return ctx.guard(async () => {
        await kv.get(["counters", "users"]);
      });
    },

    close(): Promise<void> {
      ctx.close();
      return Promise.resolve();
    },
  };
}
