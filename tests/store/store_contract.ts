/**
 * The contract every `Store` adapter passes, run against a real
 * backend by `sqlite_store_test.ts`, `kv_store_test.ts` and
 * `tests/redis/redis_store_test.ts`. One module per concern under
 * `contract/`; this one registers them all and re-exports the helpers.
 *
 * @module
 */

import { directoryContract } from "./contract/directory.ts";
import { eventsContract } from "./contract/events.ts";
import type { ContractTest, StoreFactory } from "./contract/helpers.ts";
import { lifecycleContract } from "./contract/lifecycle.ts";
import { messagesContract } from "./contract/messages.ts";
import { moderationContract } from "./contract/moderation.ts";
import { presenceContract } from "./contract/presence.ts";
import { readStateContract } from "./contract/read_state.ts";
import { retentionContract } from "./contract/retention.ts";
import { roomsContract } from "./contract/rooms.ts";
import { usersContract } from "./contract/users.ts";

export {
  appendMany,
  FakeClock,
  newMessage,
  newUser,
  openScoped,
  type StoreFactory,
  type StoreFactoryOptions,
} from "./contract/helpers.ts";

/** Every part of the contract, by concern. */
const PARTS = [
  usersContract,
  messagesContract,
  eventsContract,
  roomsContract,
  directoryContract,
  readStateContract,
  moderationContract,
  retentionContract,
  presenceContract,
  lifecycleContract,
] as const;

/**
 * Registers the store contract's tests.
 *
 * @param name shown in every test name, e.g. `"SQLite :memory:"`
 * @param open opens a fresh, empty store on each call
 */
export function storeContract(name: string, open: StoreFactory): void {
  const test: ContractTest = (what, fn) => Deno.test(`${name}: ${what}`, fn);
  for (const part of PARTS) part(test, open);
}
