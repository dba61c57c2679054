import assert from "node:assert/strict";
import {
  type Config,
  CONFIG_DEFAULTS,
  ConfigError,
  loadConfig,
} from "../../src/config/load_config.ts";

/** The fields of `config` named in `expected`, so fields added later do not break a test. */
function pick(config: Config, expected: Partial<Config>): Partial<Config> {
  return Object.fromEntries(
    Object.keys(expected).map((key) => [key, config[key as keyof Config]]),
  );
}

Deno.test("loadConfig() of an empty record gives the defaults", () => {
  const expected: Partial<Config> = {
    port: 8000,
    host: "0.0.0.0",
    store: "sqlite",
    bus: "broadcast",
    databasePath: "./data/chat.sqlite3",
    kvPath: undefined,
    jwtSecret: undefined,
    tokenTtlSeconds: 86_400,
    jwtIssuer: "deno-chat",
    pbkdf2Iterations: 600_000,
    allowedOrigins: undefined,
    rateLimitBurst: 20,
    rateLimitPerSec: 5,
    maxSocketsPerAddress: 20,
    memoryHighWaterMb: 1024,
    logLevel: "info",
    loginRateLimit: 30,
    loginUserRateLimit: 10,
    signupRateLimit: 10,
    presenceTtlSeconds: 30,
    batchWindowMs: 25,
  };
  assert.deepEqual(pick(loadConfig({}), expected), expected);
  assert.deepEqual(loadConfig(CONFIG_DEFAULTS), loadConfig({}), "CONFIG_DEFAULTS are the defaults");
});

Deno.test("loadConfig() treats empty and blank values as unset", () => {
  const blank = Object.fromEntries(Object.keys(CONFIG_DEFAULTS).map((k) => [k, ""]));
  assert.deepEqual(loadConfig(blank), loadConfig({}));
  assert.equal(loadConfig({ PORT: "   ", LOG_LEVEL: " " }).port, 8000);
});

Deno.test("loadConfig() reads every variable", () => {
  const config = loadConfig({
    LOGIN_RATE_LIMIT: "0",
    PRESENCE_TTL: "5",
    PORT: "9001",
    HOST: "127.0.0.1",
    STORE: "KV",
    BUS: "memory",
    DATABASE_PATH: "/tmp/x.db",
    KV_PATH: "/tmp/x.kv",
    JWT_SECRET: "s3cret",
    TOKEN_TTL: "60",
    JWT_ISSUER: "me",
    PBKDF2_ITERATIONS: "1000",
    ALLOWED_ORIGINS: "https://a.example, http://b.example:8080/ ,*",
    RATE_LIMIT_BURST: "3",
    RATE_LIMIT_PER_SEC: "0.5",
    MAX_SOCKETS_PER_ADDRESS: "0",
    MEMORY_HIGH_WATER_MB: "512",
    LOG_LEVEL: "DEBUG",
    UNRELATED: "ignored",
  });
  const expected: Partial<Config> = {
    loginRateLimit: 0,
    presenceTtlSeconds: 5,
    port: 9001,
    host: "127.0.0.1",
    store: "kv",
    bus: "memory",
    databasePath: "/tmp/x.db",
    kvPath: "/tmp/x.kv",
    jwtSecret: "s3cret",
    tokenTtlSeconds: 60,
    jwtIssuer: "me",
    pbkdf2Iterations: 1000,
    allowedOrigins: ["https://a.example", "http://b.example:8080", "*"],
    rateLimitBurst: 3,
    rateLimitPerSec: 0.5,
    maxSocketsPerAddress: 0,
    memoryHighWaterMb: 512,
    logLevel: "debug",
  };
  assert.deepEqual(pick(config, expected), expected);
});

Deno.test("loadConfig() accepts port 0 and the BroadcastChannel bus aliases", () => {
  assert.equal(loadConfig({ PORT: "0" }).port, 0);
  assert.equal(loadConfig({ PORT: "65535" }).port, 65535);
  assert.equal(loadConfig({ BUS: "BroadcastChannel" }).bus, "broadcast");
  assert.equal(loadConfig({ BUS: "local" }).bus, "broadcast");
});

Deno.test("loadConfig() names the variable of each invalid value", () => {
  const rows: Array<[string, string]> = [
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
    ["PORT", "1e3"],
    ["HOST", "local host"],
    ["STORE", "mysql"],
    ["BUS", "carrier-pigeon"],
    ["TOKEN_TTL", "0"],
    ["TOKEN_TTL", "1h"],
    ["PBKDF2_ITERATIONS", "0"],
    ["PBKDF2_ITERATIONS", "many"],
    ["ALLOWED_ORIGINS", "not a url"],
    ["ALLOWED_ORIGINS", "https://a.example/path"],
    ["ALLOWED_ORIGINS", "https://ok.example,ftp//broken"],
    ["RATE_LIMIT_BURST", "0"],
    ["RATE_LIMIT_PER_SEC", "0"],
    ["RATE_LIMIT_PER_SEC", "-2"],
    ["RATE_LIMIT_PER_SEC", "fast"],
    ["MAX_SOCKETS_PER_ADDRESS", "-5"],
    ["LOG_LEVEL", "verbose"],
    ["PRESENCE_TTL", "1"],
    ["LOGIN_RATE_LIMIT", "-1"],
  ];
  // Every variable whose default is a number refuses a word.
  for (const [name, value] of Object.entries(CONFIG_DEFAULTS)) {
    if (/^\d+$/.test(value)) rows.push([name, "lots"]);
  }
  for (const [name, value] of rows) {
    assert.throws(() => loadConfig({ [name]: value }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `${name}=${value}: got ${error}`);
      assert.ok(error.message.includes(name), `${name}=${value}: ${error.message}`);
      return true;
    }, `${name}=${value}`);
  }
});

Deno.test("loadConfig() returns a frozen object", () => {
  const config = loadConfig({ ALLOWED_ORIGINS: "https://a.example" });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.allowedOrigins));
  assert.throws(() => {
    (config as { port: number }).port = 1;
  }, TypeError);
  assert.ok(Object.isFrozen(CONFIG_DEFAULTS));
});
