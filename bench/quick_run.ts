/**
 * One quick local run of the basics, at the server's defaults: sign-up and
 * login latency at the default hash cost, one at a time, and how many messages
 * per second one room carries from one sender to a few readers. Loopback only,
 * bounded in count.
 *
 *     deno run -A bench/quick_run.ts [--users=10] [--messages=5000] [--readers=5]
 *
 * @module
 */
import WebSocket from "ws";
import { spawnServer } from "../tests/_helpers/process.ts";
import { postJson } from "../tests/_helpers/server.ts";

function flag(name: string, fallback: number): number {
  const arg = Deno.args.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split("=")[1]) : fallback;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

const users = flag("users", 10);
const messages = flag("messages", 5000);
const readers = flag("readers", 5);
const dir = await Deno.makeTempDir();
await using server = await spawnServer({
  env: {
    DATABASE_PATH: `${dir}/chat.sqlite3`,
    PBKDF2_ITERATIONS: "600000",
    RATE_LIMIT_BURST: String(messages),
    RATE_LIMIT_PER_SEC: String(messages),
    LOG_LEVEL: "error",
  },
});

const signups: number[] = [];
const logins: number[] = [];
let token = "";
for (let i = 0; i < users; i++) {
  const body = { username: `quick${i}`, secret: "a quick secret" };
  let t = performance.now();
  const created = await postJson(`${server.url}/api/v1/users`, body);
  signups.push(performance.now() - t);
  t = performance.now();
  const login = await postJson(`${server.url}/api/v1/login`, body);
  logins.push(performance.now() - t);
  if (created.status !== 201 || login.status !== 200) throw new Error("sign-up or login failed");
  token = login.body.data.token;
}

const url = `${server.wsUrl}/api/v1/rooms/quick/ws`;
const open = (protocols: string[]) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on("open", () => resolve(ws));
    ws.on("error", reject);
  });
const done = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    ws.on("message", (data: Uint8Array) => {
      seen += JSON.parse(new TextDecoder().decode(data)).length;
      if (seen >= messages) resolve();
    });
  });
const audience = await Promise.all(Array.from({ length: readers }, () => open([])));
const sender = await open([token]);
const finished = Promise.all([sender, ...audience].map(done));
const started = performance.now();
for (let i = 0; i < messages; i++) {
  sender.send(JSON.stringify({ text: `message ${i}`, nonce: `n${i}` }));
  // Keep the socket's own buffer from growing without bound.
  if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
}
await finished;
const seconds = (performance.now() - started) / 1000;
for (const ws of [sender, ...audience]) ws.close(1000);
await Deno.remove(dir, { recursive: true });

const ms = (v: number) => `${v.toFixed(1)} ms`;
console.log(
  `sign-up at PBKDF2 600,000: p50 ${ms(percentile(signups, 0.5))}, max ${
    ms(Math.max(...signups))
  } (${users} in a row)`,
);
console.log(
  `login at PBKDF2 600,000:   p50 ${ms(percentile(logins, 0.5))}, max ${
    ms(Math.max(...logins))
  } (${users} in a row)`,
);
console.log(
  `one room: ${messages} messages from one sender to ${readers} readers and the sender in ` +
    `${seconds.toFixed(2)} s: ${Math.round(messages / seconds)} messages/s stored and delivered, ` +
    `${Math.round((messages * (readers + 1)) / seconds)} deliveries/s`,
);
