/**
 * Every configuration variable the server reads: its default and one line of
 * help. `--help`, the flags parser and `docs/operations.md` all come from this
 * table, so a variable cannot be read without being documented.
 *
 * @module
 */

/** One configuration variable. */
export interface ConfigVariable {
  /** The environment variable; the flag is its lower-case, dashed form. */
  readonly name: string;
  /** The value used when it is unset or blank ("" = none). */
  readonly default: string;
  /** What it sets, in one line. */
  readonly help: string;
}

/** The variables, in the order `--help` lists them. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = Object.freeze(
  [
    { name: "PORT", default: "8000", help: "TCP port to listen on (0 picks a free one)" },
    { name: "HOST", default: "0.0.0.0", help: "address to listen on" },
    {
      name: "STORE",
      default: "sqlite",
      help: "sqlite, kv or redis (kv by default on Deno Deploy)",
    },
    {
      name: "BUS",
      default: "broadcast",
      help:
        "memory (one isolate), broadcast (BroadcastChannel: isolates of one process) or redis; " +
        "memory by default under deno run, broadcast under deno serve and on Deno Deploy",
    },
    { name: "REDIS_URL", default: "", help: "redis://[:password@]host[:port][/db] for redis" },
    { name: "DATABASE_PATH", default: "./data/chat.sqlite3", help: "the SQLite file" },
    { name: "KV_PATH", default: "", help: "the Deno KV file (empty: Deno's default, Deploy's KV)" },
    {
      name: "JWT_SECRET",
      default: "",
      help: "HS256 secret, 32 bytes or more (empty: generated once and kept in the store)",
    },
    { name: "TOKEN_TTL", default: "86400", help: "token lifetime in seconds" },
    { name: "JWT_ISSUER", default: "deno-chat", help: "the tokens' iss claim" },
    { name: "PBKDF2_ITERATIONS", default: "600000", help: "password hashing cost" },
    {
      name: "ALLOWED_ORIGINS",
      default: "",
      help: "comma-separated origins that may open sockets from a browser (* for any)",
    },
    { name: "RATE_LIMIT_BURST", default: "20", help: "messages a socket may send at once" },
    { name: "RATE_LIMIT_PER_SEC", default: "5", help: "messages per second a socket regains" },
    {
      name: "MAX_SOCKETS_PER_ADDRESS",
      default: "20",
      help: "open sockets per client address, behind TRUSTED_PROXIES the real client's (0: no cap)",
    },
    {
      name: "MEMORY_HIGH_WATER_MB",
      default: "1024",
      help: "resident memory in MiB above which new sockets get 503 OVERLOADED, anonymous " +
        "sockets are closed with 1013 and /readyz fails (0: off)",
    },
    { name: "LOGIN_RATE_LIMIT", default: "30", help: "logins per client address per minute" },
    { name: "LOGIN_USER_RATE_LIMIT", default: "10", help: "failed logins per username per minute" },
    { name: "SIGNUP_RATE_LIMIT", default: "10", help: "sign-ups per client address per minute" },
    { name: "LOG_LEVEL", default: "info", help: "debug, info, warn or error" },
    {
      name: "PRESENCE_TTL",
      default: "30",
      help: "seconds a dead isolate's members stay listed as online",
    },
    {
      name: "BATCH_WINDOW_MS",
      default: "25",
      help: "in a busy room, milliseconds a `?batch=1` socket's messages may wait to share " +
        "one frame (0: only those of one event-loop turn share it)",
    },
    {
      name: "MESSAGE_RETENTION_DAYS",
      default: "0",
      help: "days a message is kept; older ones are deleted hourly (0: keep every message)",
    },
    {
      name: "TRUSTED_PROXIES",
      default: "",
      help: "comma-separated proxy addresses or CIDR ranges whose X-Forwarded-*/Forwarded " +
        "headers are believed (empty: none)",
    },
    {
      name: "PUBLIC_URL",
      default: "",
      help: "https://host[:port] browsers use; when set, a socket's Origin must be it " +
        "(or in ALLOWED_ORIGINS)",
    },
    {
      name: "TLS_CERT",
      default: "",
      help: "PEM certificate chain file: serve HTTPS and WSS (with TLS_KEY; not under deno serve)",
    },
    { name: "TLS_KEY", default: "", help: "PEM private key file of TLS_CERT" },
    {
      name: "ADMIN_USERNAMES",
      default: "",
      help: "comma-separated usernames of the server admins, who moderate every room " +
        "(empty: none)",
    },
    {
      name: "ADMIN_API_KEY",
      default: "",
      help: "the server API's X-API-Key, 32 characters or more " +
        "(empty: the /api/v1/admin/ server API answers 404)",
    },
  ] satisfies ConfigVariable[],
);

/** Each variable's default by name. */
export const CONFIG_DEFAULTS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(CONFIG_VARIABLES.map((v) => [v.name, v.default])),
);
