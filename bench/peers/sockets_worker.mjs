/**
 * One client process of S6 (`deno task bench:sockets`) and of the memory
 * breakdown (`deno task bench:memory`): it holds a share of many sockets,
 * leaving from its own loopback source address (127.0.0.2, 127.0.0.3, …) so
 * that no address runs out of ephemeral ports, and is driven phase by phase
 * by JSON lines on stdin, answering each with one JSON line on stdout.
 *
 * Usage: `node sockets_worker.mjs '<setup JSON>'`, where the setup is
 * `{ servers: ServerRef[], localAddress, from, to, layout, timeLimitMs }`:
 * it opens the sockets with global indices [from, to). Socket i joins the
 * server `servers[i % servers.length]` and the room
 * `layout.bigRoom` when i < layout.bigCount, else
 * `idle-<(i - bigCount) mod idleRooms>`.
 *
 * Commands (one per line): `{"cmd":"warm","count":n,"messages":m}`,
 * `{"cmd":"open","concurrency":c,"publisherToken":t?}`,
 * `{"cmd":"publish","step":s,"rate":r,"durationMs":d,"textBytes":b}` (sent to
 * the worker that holds socket 0, the publisher),
 * `{"cmd":"count","step":s}`, `{"cmd":"report","step":s}`, `{"cmd":"close"}`. Every phase is bounded in
 * count and time, and the process exits by itself after `timeLimitMs`.
 *
 * @module
 */
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import {
  closeAll,
  connect,
  dialect,
  Health,
  Histogram,
  log,
  messageText,
  pace,
  pool,
  round,
  sleep,
  Steps,
} from "./loadgen.mjs";

/**
 * @typedef {{ kind: "ours" | "floor" | "bun" | "ws" | "socketio", base: string, pid: number }} ServerRef
 * @typedef {{ bigRoom: string, bigCount: number, idleRooms: number }} Layout
 * @typedef {{ servers: ServerRef[], localAddress: string, from: number, to: number, layout: Layout, timeLimitMs: number }} Setup
 */

/** @type {Setup} */
const setup = JSON.parse(process.argv[2] ?? "{}");
const dialects = setup.servers.map((server) => dialect(server, "raw", setup.localAddress));
const steps = new Steps();
/** The deliveries of the sockets of each server process (socket i: process i mod n). */
const stepsByServer = setup.servers.map(() => new Steps());
const health = new Health();
/** @type {(Awaited<ReturnType<typeof connect>> & { index: number, room: string })[]} */
let conns = [];

/** @param {number} i */
const roomOf = (i) =>
  i < setup.layout.bigCount
    ? setup.layout.bigRoom
    : `idle-${(i - setup.layout.bigCount) % setup.layout.idleRooms}`;

/** @param {unknown} value */
const reply = (value) => process.stdout.write(JSON.stringify(value) + "\n");

/** The next source port to try: this worker's address is its own, so any port is ours to take. */
let portCursor = 1024;
const LAST_PORT = 60999;

/**
 * Connects from the next free source port. A port still taken (a listener on
 * the wildcard address, a TIME_WAIT of an earlier run) fails at once with
 * EADDRINUSE and the next is tried, at most 100 times.
 *
 * @param {ReturnType<typeof dialect>} d @param {string} room @param {string | undefined} token
 */
async function connectFromPort(d, room, token, into = steps) {
  for (let attempt = 0;; attempt++) {
    if (portCursor > LAST_PORT) throw new Error(`no source port left on ${setup.localAddress}`);
    const localPort = portCursor++;
    try {
      return await connect(d, room, { token, localPort }, into, health);
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error)?.code !== "EADDRINUSE" || attempt >= 100) {
        throw error;
      }
    }
  }
}

/** Opens and closes `count` sockets per server, and sends `messages` through them: JIT and buffers. */
async function warm(/** @type {{ count: number, messages: number, publisherToken?: string }} */ c) {
  const opened = [];
  for (const d of dialects) {
    const { results } = await pool(
      c.count,
      50,
      (i) => connectFromPort(d, `warm-${i % 5}`, i === 0 ? c.publisherToken : undefined),
    );
    opened.push(...results.filter((x) => x !== undefined));
  }
  const publisher = opened[0];
  if (publisher && c.messages > 0) {
    await pace(100, (c.messages * 1000) / 100, () => publisher.send(messageText(0, 100)));
  }
  await sleep(300);
  await closeAll(opened);
  return { opened: opened.length };
}

/** Opens this worker's share of the sockets. */
async function open(/** @type {{ concurrency: number, publisherToken?: string }} */ c) {
  const started = performance.now();
  const count = setup.to - setup.from;
  const { results, failures, firstError } = await pool(count, c.concurrency, (k) => {
    const index = setup.from + k;
    const d = dialects[index % dialects.length];
    const room = roomOf(index);
    const token = index === 0 ? c.publisherToken : undefined;
    return connectFromPort(d, room, token, stepsByServer[index % dialects.length]).then((conn) => ({
      ...conn,
      index,
      room,
    }));
  });
  conns = results.filter((x) => x !== undefined);
  const ms = performance.now() - started;
  const bigMembers = conns.filter((x) => x.room === setup.layout.bigRoom).length;
  /** Busy-room members by server, for peers whose rooms do not span processes. */
  const bigByServer = setup.servers.map((_, k) =>
    conns.filter((x) => x.room === setup.layout.bigRoom && x.index % dialects.length === k).length
  );
  if (failures > 0) {
    log(`sockets worker ${setup.localAddress}: ${failures} connects failed: ${firstError}`);
  }
  return { opened: conns.length, bigMembers, bigByServer, failures, firstError, ms: round(ms, 1) };
}

/** Sends `rate` messages a second for `durationMs` from socket 0 (the publisher). */
async function publish(
  /** @type {{ step: number, rate: number, durationMs: number, textBytes: number }} */ c,
) {
  const publisher = conns.find((x) => x.index === 0);
  if (!publisher) throw new Error("this worker does not hold socket 0, the publisher");
  const { sent, lagP99Ms } = await pace(
    c.rate,
    c.durationMs,
    () => publisher.send(messageText(c.step, c.textBytes)),
  );
  return { sent, lagP99Ms };
}

/** This worker's deliveries of one step, as a mergeable histogram. */
function report(/** @type {{ step: number }} */ c) {
  const all = new Histogram();
  all.merge(steps.get(c.step).sparse());
  const byServer = stepsByServer.map((s) => s.get(c.step).sparse());
  for (const h of byServer) all.merge(h);
  return {
    histogram: all.sparse(),
    byServer,
    open: conns.filter((x) => x.isOpen()).length,
    health,
  };
}

/** How many deliveries of one step arrived so far (cheap, for polling). */
function count(/** @type {{ step: number }} */ c) {
  return { n: steps.get(c.step).n + stepsByServer.reduce((n, s) => n + s.get(c.step).n, 0) };
}

const COMMANDS = { warm, open, publish, report, count };

const deadline = setTimeout(() => {
  log(`sockets worker ${setup.localAddress}: giving up after ${setup.timeLimitMs} ms`);
  process.exit(3);
}, setup.timeLimitMs ?? 600_000);

const lines = createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  /** @type {{ cmd: string }} */
  const command = JSON.parse(line);
  try {
    if (command.cmd === "close") {
      await closeAll(conns);
      reply({ ok: true, closed: conns.length });
      clearTimeout(deadline);
      process.exit(0);
    }
    const run = COMMANDS[/** @type {keyof typeof COMMANDS} */ (command.cmd)];
    if (!run) throw new Error(`unknown command "${command.cmd}"`);
    reply({ ok: true, ...(await run(/** @type {any} */ (command))) });
  } catch (error) {
    reply({ ok: false, error: String(/** @type {Error} */ (error)?.stack ?? error) });
  }
});
lines.on("close", () => process.exit(0));
