/**
 * Every §7 REST suite and the REST routes of §6 (directory, read state,
 * edits), registered for one store: `moderation_sqlite_test.ts`,
 * `moderation_kv_test.ts` and `tests/redis/moderation_redis_test.ts` run them
 * on each backend.
 *
 * @module
 */
import type { StoreOpener } from "./_moderation_app.ts";
import { adminSuite } from "./admin_suite.ts";
import { hostileInputsSuite } from "./hostile_inputs_suite.ts";
import { restrictionsSuite } from "./restrictions_suite.ts";
import { roomsSuite } from "./rooms_suite.ts";
import { v2RoutesSuite } from "./v2_routes_suite.ts";

/**
 * Registers every §7 suite.
 *
 * @param name shown in each test's name, e.g. `"SQLite"`
 */
export function moderationSuites(name: string, open: StoreOpener): void {
  roomsSuite(name, open);
  restrictionsSuite(name, open);
  adminSuite(name, open);
  v2RoutesSuite(name, open);
  hostileInputsSuite(name, open);
}
