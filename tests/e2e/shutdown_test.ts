/**
 * SIGTERM and SIGINT under every way of starting the server (`deno task start`,
 * `deno task dev`, `deno task start:parallel` over `deno serve --parallel`, and
 * the bundle from `deno task bundle`): every socket gets 1001, also the clients
 * that are sending at that moment, the process exits 0 within 5 s, and every
 * message the server acknowledged (echoed to its sender) is in the store after.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildBundle } from "../_helpers/bundle.ts";
import { type ServerProcess, type SpawnOptions, spawnServer } from "../_helpers/process.ts";
import { getJson, signIn } from "../_helpers/server.ts";
import { connect, type TestSocket } from "../_helpers/ws_client.ts";

/** Clients sending at the moment of the signal. */
const SENDERS = 6;
/** The most messages one sender sends (the loop is bounded; the signal comes long before). */
const MAX_SENDS = 5000;

async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every text stored in `room`, read page by page through the REST history. */
async function storedTexts(server: { url: string }, room: string): Promise<Set<string>> {
  const texts = new Set<string>();
  let before = "";
  for (let page = 0; page < 2000; page++) {
    const { body } = await getJson(
      `${server.url}/api/v1/rooms/${room}/messages?limit=100${before}`,
    );
    const messages: { seq: number; text: string }[] = body.data.messages;
    for (const m of messages) texts.add(m.text);
    if (!body.data.hasMore || messages.length === 0) return texts;
    before = `&before=${messages[0]!.seq}`;
  }
  throw new Error("the room's history did not end within 2,000 pages");
}

/** The texts of `socket`'s own messages that came back to it: what the server acknowledged. */
function acknowledged(socket: TestSocket, prefix: string): string[] {
  return socket.messages().filter((m) => m.nonce?.startsWith(prefix)).map((m) => m.text);
}

/**
 * Connects SENDERS signed-in clients and an anonymous reader to one room, has
 * every sender send without pause (a bounded loop), signals the server while
 * they do, and checks the closes, the exit and the store.
 */
async function shutdownWhileSending(
  mode: NonNullable<SpawnOptions["mode"]>,
  signal: Deno.Signal,
  cwd?: string,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "chat-shutdown-" });
  const env = {
    DATABASE_PATH: `${dir}/chat.sqlite3`,
    RATE_LIMIT_BURST: "1000000",
    RATE_LIMIT_PER_SEC: "1000000",
  };
  const room = "bye";
  let server: ServerProcess | undefined = await spawnServer({ mode, env, cwd });
  try {
    const url = `${server.wsUrl}/api/v1/rooms/${room}/ws`;
    const senders: TestSocket[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const { token } = await signIn(server, `sender${i}`);
      senders.push(await connect(url, [token]));
    }
    const reader = await connect(url);
    let stop = false;
    const loops = senders.map(async (socket, i) => {
      for (let n = 0; n < MAX_SENDS && !stop && socket.ws.readyState === socket.ws.OPEN; n++) {
        socket.send({ text: `s${i} m${n}`, nonce: `s${i}-${n}` });
        // Let the client read its echoes between sends.
        if (n % 2 === 1) await new Promise((r) => setTimeout(r, 1));
      }
    });
    // Every sender is in full flow: some of its messages have come back already.
    await within(
      20_000,
      (async () => {
        for (let i = 0; i < 2000; i++) {
          if (senders.every((s, j) => acknowledged(s, `s${j}-`).length >= 20)) return;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error("the senders did not get going");
      })(),
      "starting to send",
    );
    const started = Date.now();
    server.kill(signal);
    const closes = await within(
      5000,
      Promise.all([...senders, reader].map((s) => s.closed)),
      "closing every socket",
    );
    stop = true;
    await Promise.all(loops);
    const status = await within(5000, server.status, "exiting");
    const took = Date.now() - started;
    const output = server.output();
    server = undefined;
    assert.deepEqual(
      closes.map((c) => c.code),
      Array(SENDERS + 1).fill(1001),
      `close codes: ${JSON.stringify(closes)}\n${output}`,
    );
    assert.equal(status.code, 0, output);
    assert.ok(took < 5000, `exited after ${took} ms`);
    // Nothing had to be killed: every part stopped by itself.
    assert.doesNotMatch(output, /did not stop|killing it|longer than 5 seconds/);

    // Every acknowledged message survived the restart.
    const acked = senders.flatMap((s, i) => acknowledged(s, `s${i}-`));
    assert.ok(acked.length >= SENDERS * 20);
    await using again = await spawnServer({ mode: "main", env });
    const stored = await storedTexts(again, room);
    const lost = acked.filter((text) => !stored.has(text));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged messages lost`);
  } finally {
    if (server) await server[Symbol.asyncDispose]();
    await Deno.remove(dir, { recursive: true });
  }
}

const TASKS = ["start", "dev", "start:parallel"] as const;

for (const task of TASKS) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.test({
      name:
        `deno task ${task}: ${signal} while ${SENDERS} clients send closes every socket with 1001, exits 0 within 5 s and keeps every acknowledged message`,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: () => shutdownWhileSending({ task }, signal),
    });
  }
}

Deno.test({
  name:
    `the bundle (deno task bundle, then deno run -A): SIGTERM and SIGINT while ${SENDERS} clients send close every socket with 1001, exit 0 within 5 s and keep every acknowledged message`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using bundle = await buildBundle();
    const empty = await Deno.makeTempDir({ prefix: "chat-empty-" });
    try {
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        await t.step(signal, () => shutdownWhileSending({ bundle: bundle.path }, signal, empty));
      }
    } finally {
      await Deno.remove(empty, { recursive: true });
    }
  },
});

Deno.test({
  name: "main: SIGTERM exits 0 within 5 s while a reader that stopped reading holds its connection",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const server = await spawnServer({
      env: {
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        RATE_LIMIT_BURST: "100000",
        RATE_LIMIT_PER_SEC: "100000",
      },
    });
    const { token } = await signIn(server, "flooder");
    const sender = await connect(`${server.wsUrl}/api/v1/rooms/stuck/ws`, [token]);
    const stalled = await connect(`${server.wsUrl}/api/v1/rooms/stuck/ws`);
    // Never read again: the kernel buffers fill and the server's writes (its close frame too) stall.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = "s".repeat(3900);
    for (let i = 0; i < 2000; i++) {
      sender.send({ text });
      if (i % 200 === 199) await sender.waitForMessages(i + 1, 20_000);
    }
    await sender.waitForMessages(2000, 20_000);
    const started = Date.now();
    server.kill("SIGTERM");
    const status = await within(5000, server.status, "exiting");
    assert.equal(status.code, 0, server.output());
    assert.ok(Date.now() - started < 5000);
    // The reader that kept reading got its 1001 all the same.
    assert.equal((await sender.closed).code, 1001);
    stalled.ws.terminate();
    await Deno.remove(dir, { recursive: true });
  },
});
