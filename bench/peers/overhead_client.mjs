/**
 * The load client of `bench/overhead.ts`: one measure against one server,
 * its result as one JSON line on stdout. The server's CPU (utime + stime of
 * its process, from `/proc`) is read around the measured part only; a
 * publish job also answers the user and system parts apart.
 *
 *     node overhead_client.mjs '<job as JSON>'
 *
 * Jobs: `{ "kind": "idle", url, pid, sockets, holdMs }` opens `sockets`
 * sockets and holds them; `{ "kind": "publish", url, pid, token, readers,
 * count, rate }` opens one publishing socket (which also reads its own
 * messages) and `readers` more, sends `count` messages at `rate` per second
 * and waits (at most 60 s) until every socket has every one.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";

const job = JSON.parse(process.argv[2] ?? "{}");
const TICK_MS = 1000 / 100; // USER_HZ

/** The server's CPU time so far, in ms: user, system. */
function serverCpu() {
  const fields = readFileSync(`/proc/${job.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return { user: Number(fields[11]) * TICK_MS, sys: Number(fields[12]) * TICK_MS };
}

/** The server's CPU time so far, in ms. */
function serverCpuMs() {
  const { user, sys } = serverCpu();
  return user + sys;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string[]} protocols */
function open(protocols = []) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(job.url, protocols);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

async function openMany(n) {
  const sockets = [];
  for (let i = 0; i < n; i += 50) {
    sockets.push(...await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => open())));
  }
  return sockets;
}

async function idle() {
  const sockets = await openMany(job.sockets);
  await sleep(3000); // the handshakes' work is done
  const cpu0 = serverCpuMs();
  const t0 = performance.now();
  await sleep(job.holdMs);
  const cpuMs = serverCpuMs() - cpu0;
  const wallMs = performance.now() - t0;
  for (const socket of sockets) socket.terminate();
  return { sockets: sockets.length, cpuMsPerSec: (cpuMs / wallMs) * 1000 };
}

async function publish() {
  const publisher = await open(job.token ? [job.token] : []);
  const readers = await openMany(job.readers);
  let received = 0;
  for (const socket of [publisher, ...readers]) socket.on("message", () => received++);
  await sleep(1000);
  const before = received;
  const expected = job.count * (readers.length + 1);
  const cpu0 = serverCpu();
  const t0 = performance.now();
  const gapMs = 1000 / job.rate;
  for (let i = 0; i < job.count; i++) {
    publisher.send(JSON.stringify({ text: `overhead ${i} ${"x".repeat(88)}` }));
    const wait = t0 + (i + 1) * gapMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const deadline = performance.now() + 60_000;
  while (received - before < expected && performance.now() < deadline) await sleep(20);
  const cpu1 = serverCpu();
  for (const socket of [publisher, ...readers]) socket.terminate();
  const deliveries = received - before;
  const perMessage = (ms) => (ms * 1000) / job.count;
  return {
    messages: job.count,
    deliveries,
    lost: expected - deliveries,
    cpuUsPerMessage: perMessage(cpu1.user + cpu1.sys - cpu0.user - cpu0.sys),
    userUsPerMessage: perMessage(cpu1.user - cpu0.user),
    sysUsPerMessage: perMessage(cpu1.sys - cpu0.sys),
  };
}

const result = job.kind === "idle" ? await idle() : await publish();
process.stdout.write(JSON.stringify(result) + "\n");
process.exit(0);
