import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/config/load_config.ts";

Deno.test("loadConfig() reads ADMIN_USERNAMES caseless and deduplicated, none by default", () => {
  assert.deepEqual(loadConfig({}).adminUsernames, []);
  assert.deepEqual(
    loadConfig({ ADMIN_USERNAMES: " Alice, bob ,,ALICE,Ｃａｒｏｌ" }).adminUsernames,
    ["alice", "bob", "carol"],
  );
  assert.throws(() => loadConfig({ ADMIN_USERNAMES: "a\u0007b" }), ConfigError);
});

Deno.test("loadConfig() reads ADMIN_API_KEY: unset by default, 32 characters or more, no white space", () => {
  assert.equal(loadConfig({}).adminApiKey, undefined);
  assert.equal(loadConfig({ ADMIN_API_KEY: "  " }).adminApiKey, undefined);
  const key = "x".repeat(32);
  assert.equal(loadConfig({ ADMIN_API_KEY: ` ${key} ` }).adminApiKey, key);
  assert.throws(
    () => loadConfig({ ADMIN_API_KEY: "short" }),
    (error: Error) => error instanceof ConfigError && /ADMIN_API_KEY/.test(error.message),
  );
  assert.throws(() => loadConfig({ ADMIN_API_KEY: `${key} ${key}` }), /white space/);
});
