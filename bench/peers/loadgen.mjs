/**
 * The load generator: one Node process that drives any benchmarked server over
 * raw WebSockets (npm `ws`; Socket.IO through its engine.io v4 text frames, so
 * no client library's cost counts), measures delivery latency from a send
 * timestamp embedded in each message's text, and reads the server's CPU time
 * (utime + stime) and memory (VmRSS) from /proc around each step.
 *
 * Usage: `node loadgen.mjs '<job JSON>'`. Progress goes to stderr; the result
 * is one JSON line on stdout. Loopback only; every loop is bounded in count
 * and time.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { resolve as resolvePath } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { Histogram, round } from "./histogram.mjs";

export { Histogram, round };

// ---------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------

/** @param {number[]} values @param {number} p */
function quantileOf(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))],
    1,
  );
}

/** Per-step delivery counts and latencies. */
export class Steps {
  constructor() {
    /** @type {Histogram[]} */
    this.hist = [];
    /** Frames that carried at least one marker, by the step of their first marker. */
    /** @type {number[]} */
    this.frames = [];
  }

  /** Every delivery seen, of any step. */
  get total() {
    let n = 0;
    for (const h of this.hist) n += h ? h.n : 0;
    return n;
  }

  /** @param {number} step */
  get(step) {
    let h = this.hist[step];
    if (!h) this.hist[step] = h = new Histogram();
    return h;
  }
}

/** Reads server CPU time and memory from /proc. */
export class ProcStats {
  /** @param {number} pid @param {number} clkTck */
  constructor(pid, clkTck) {
    this.pid = pid;
    this.clkTck = clkTck;
  }

  /** CPU milliseconds (user + system) the process has used so far. */
  cpuMs() {
    const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ", fields[0] is state (field 3); utime is field 14, stime 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / this.clkTck;
  }

  /** Resident set size in KiB. */
  rssKb() {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) : 0;
  }
}

/** CPU and wall time over an interval, for the server and this client. */
export class Meter {
  /** @param {ProcStats} server */
  constructor(server) {
    this.server = server;
    this.t0 = performance.now();
    this.s0 = server.cpuMs();
    this.c0 = process.cpuUsage();
  }

  stop() {
    const wallMs = performance.now() - this.t0;
    const serverCpuMs = this.server.cpuMs() - this.s0;
    const c = process.cpuUsage(this.c0);
    const clientCpuMs = (c.user + c.system) / 1000;
    return {
      wallMs: round(wallMs, 1),
      serverCpuMs: round(serverCpuMs, 1),
      clientCpuMs: round(clientCpuMs, 1),
      /** Percent of one core. */
      serverCpuPct: round((serverCpuMs / wallMs) * 100, 1),
      clientCpuPct: round((clientCpuMs / wallMs) * 100, 1),
    };
  }
}

// ---------------------------------------------------------------------------
// Messages: `~T<step>:<send time in µs>~` then padding, found in any frame
// ---------------------------------------------------------------------------

const MARK = Buffer.from("~T");
const COLON = 0x3a;
const TILDE = 0x7e;

/**
 * Microseconds since the epoch: the process's monotonic clock from its start
 * time, so that a timestamp sent by one load process can be read by another.
 */
const clockUs = () => (performance.timeOrigin + performance.now()) * 1000;
const nowUs = () => Math.round(clockUs());

/** @param {number} step @param {number} bytes */
export function messageText(step, bytes) {
  const head = `~T${step}:${nowUs()}~`;
  return bytes > head.length ? head + "x".repeat(bytes - head.length) : head;
}

/**
 * Finds every marker in `buf[start, end)` and records its latency.
 *
 * @param {Buffer} buf
 * @param {number} start
 * @param {number} end
 * @param {Steps} steps
 */
function scan(buf, start, end, steps) {
  let i = buf.indexOf(MARK, start);
  if (i < 0 || i >= end) return 0;
  const now = clockUs();
  let found = 0;
  while (i >= 0 && i < end) {
    let j = i + 2;
    let step = 0;
    let c = buf[j++];
    while (c !== COLON && j <= end) {
      step = step * 10 + (c - 48);
      c = buf[j++];
    }
    let sent = 0;
    c = buf[j++];
    while (c !== TILDE && j <= end) {
      sent = sent * 10 + (c - 48);
      c = buf[j++];
    }
    steps.get(step).add((now - sent) / 1000);
    if (found === 0) steps.frames[step] = (steps.frames[step] ?? 0) + 1;
    found++;
    i = buf.indexOf(MARK, j);
  }
  return found;
}

// ---------------------------------------------------------------------------
// Dialects: how each server is addressed and spoken to
// ---------------------------------------------------------------------------

/**
 * @typedef {{ kind: "ours" | "floor" | "bun" | "ws" | "socketio", base: string, pid: number }} ServerRef
 * @typedef {{ batch?: boolean, token?: string, localPort?: number }} ConnOptions
 */

/**
 * @param {ServerRef} server
 * @param {"raw" | "ws"} client which client implementation opens connections
 * @param {string | undefined} localAddress the loopback address connections leave from
 */
export function dialect(server, client = "raw", localAddress = undefined) {
  const ws = server.base.replace(/^http/, "ws");
  return { ...speech(server, ws), client, localAddress };
}

/** @param {ServerRef} server @param {string} ws */
function speech(server, ws) {
  switch (server.kind) {
    case "ours":
      return {
        /** @param {string} room @param {ConnOptions} o */
        url: (room, o) =>
          `${ws}/api/v1/rooms/${encodeURIComponent(room)}/ws${o.batch ? "?batch=1" : ""}`,
        /** @param {ConnOptions} o */
        protocols: (o) => (o.token ? [o.token] : []),
        /** @param {string} text */
        frame: (text) => JSON.stringify({ text }),
        socketio: false,
      };
    case "floor":
    case "bun":
    case "ws":
      return {
        /** @param {string} room */
        url: (room) => `${ws}/rooms/${encodeURIComponent(room)}`,
        protocols: () => [],
        /** @param {string} text */
        frame: (text) => JSON.stringify({ text }),
        socketio: false,
      };
    case "socketio":
      return {
        /** @param {string} room */
        url: (room) =>
          `${ws}/socket.io/?EIO=4&transport=websocket&room=${encodeURIComponent(room)}`,
        protocols: () => [],
        /** @param {string} text */
        frame: (text) => "42" + JSON.stringify(["msg", text]),
        socketio: true,
      };
    default:
      throw new Error(`Unknown server kind "${server.kind}"`);
  }
}

/** Counters shared by every connection of a run. */
export class Health {
  constructor() {
    this.unexpectedCloses = 0;
    /** @type {Record<string, number>} */
    this.closeCodes = {};
    this.errors = 0;
    this.lastError = "";
  }
}

/**
 * @typedef {{ isOpen: () => boolean, send: (text: string) => void, close: () => Promise<void> }} Conn
 */

/**
 * One WebSocket connection over npm `ws` (`client: "ws"`).
 *
 * @param {ReturnType<typeof dialect>} d
 * @param {string} room
 * @param {ConnOptions} options
 * @param {Steps} steps
 * @param {Health} health
 * @param {number} timeoutMs
 * @returns {Promise<Conn>}
 */
function connectWs(d, room, options, steps, health, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(d.url(room, options), d.protocols(options), {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: timeoutMs,
      maxPayload: 64 * 1024 * 1024,
      ...(d.localAddress ? { localAddress: d.localAddress } : {}),
    });
    let ready = false;
    let closing = false;
    /** @type {() => void} */
    let onClosed = () => {};
    const closed = new Promise((r) => (onClosed = r));
    const timer = setTimeout(() => {
      if (!ready) {
        ws.terminate();
        reject(new Error("connect timed out"));
      }
    }, timeoutMs);
    const conn = {
      isOpen: () => ws.readyState === 1,
      /** @param {string} text */
      send: (text) => {
        if (ws.readyState === 1) ws.send(d.frame(text));
      },
      close: () => {
        closing = true;
        if (ws.readyState === 3) return Promise.resolve();
        ws.close(1000);
        const force = setTimeout(() => ws.terminate(), 5000);
        return closed.then(() => clearTimeout(force));
      },
    };
    const opened = () => {
      ready = true;
      clearTimeout(timer);
      resolve(conn);
    };
    ws.on("open", () => {
      if (d.socketio) ws.send("40");
      else opened();
    });
    ws.on("message", (data) => {
      const buf = /** @type {Buffer} */ (data);
      if (d.socketio) {
        // engine.io: "2" ping → "3" pong; "40{...}" namespace connect ack; "0{...}" open.
        if (buf.length === 1 && buf[0] === 0x32) return void ws.send("3");
        if (!ready && buf[0] === 0x34 && buf[1] === 0x30) return opened();
      }
      scan(buf, 0, buf.length, steps);
    });
    ws.on("unexpected-response", (_req, res) => {
      clearTimeout(timer);
      res.resume();
      reject(new Error(`handshake refused with HTTP ${res.statusCode}`));
    });
    ws.on("error", (error) => {
      health.errors++;
      health.lastError = String(error?.message ?? error);
      if (!ready) {
        clearTimeout(timer);
        reject(error);
      }
    });
    ws.on("close", (code) => {
      onClosed();
      if (ready && !closing) {
        health.unexpectedCloses++;
        health.closeCodes[code] = (health.closeCodes[code] ?? 0) + 1;
      }
    });
  });
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
/** The one read buffer every raw connection reads into (reads are handled synchronously). */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * A masked client frame. The mask key is zero, so the payload goes as is
 * (any key is valid; servers XOR with whatever the client sends).
 *
 * @param {number} opcode @param {Buffer} payload
 */
function clientFrame(opcode, payload) {
  const n = payload.length;
  const head = n < 126 ? 6 : n < 65536 ? 8 : 14;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  out.writeUInt32BE(0, head - 4);
  payload.copy(out, head);
  return out;
}

/**
 * One WebSocket connection over a plain TCP socket (`client: "raw"`): a fixed
 * upgrade request, then a minimal frame reader that finds the markers in text
 * payloads without decoding them, and answers pings. Much cheaper per frame
 * than a general client, so the load generator saturates later than the server.
 *
 * @param {ReturnType<typeof dialect>} d
 * @param {string} room
 * @param {ConnOptions} options
 * @param {Steps} steps
 * @param {Health} health
 * @param {number} timeoutMs
 * @returns {Promise<Conn>}
 */
function connectRaw(d, room, options, steps, health, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const url = new URL(d.url(room, options));
    const protocols = d.protocols(options);
    const request = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\n` +
      `Sec-WebSocket-Version: 13\r\n` +
      (protocols.length ? `Sec-WebSocket-Protocol: ${protocols.join(", ")}\r\n` : "") + "\r\n";
    // `onread` hands each read to a callback in one shared buffer, skipping the
    // stream machinery and a Buffer per read; the unread rest is copied out.
    const socket = net.connect({
      host: url.hostname,
      port: Number(url.port),
      ...(d.localAddress ? { localAddress: d.localAddress } : {}),
      // An explicit port spares the kernel's search for a free one, which slows
      // down as an address's ports fill (bind before connect).
      ...(options.localPort ? { localPort: options.localPort } : {}),
      onread: { buffer: READ_BUFFER, callback: (n, buf) => void onData(buf.subarray(0, n)) },
    });
    socket.setNoDelay(true);
    let upgraded = false;
    let ready = false;
    let open = false;
    let closing = false;
    /** @type {Buffer | undefined} */
    let pending;
    /** @type {() => void} */
    let onClosed = () => {};
    const closed = new Promise((r) => (onClosed = r));
    const timer = setTimeout(() => {
      if (!ready) {
        socket.destroy();
        reject(new Error("connect timed out"));
      }
    }, timeoutMs);
    const fail = (/** @type {Error} */ error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const write = (/** @type {number} */ opcode, /** @type {string} */ text) => {
      if (open) socket.write(clientFrame(opcode, Buffer.from(text)));
    };
    const conn = {
      isOpen: () => open,
      /** @param {string} text */
      send: (text) => write(0x1, d.frame(text)),
      close: () => {
        closing = true;
        if (open) socket.write(clientFrame(0x8, Buffer.from([0x03, 0xe8])));
        open = false;
        socket.end();
        const force = setTimeout(() => socket.destroy(), 2000);
        return closed.then(() => clearTimeout(force));
      },
    };
    const becomeReady = () => {
      ready = true;
      clearTimeout(timer);
      resolve(conn);
    };
    /** Reads every whole frame in `buf` from `at`; returns where the unread rest starts. */
    const frames = (/** @type {Buffer} */ buf, /** @type {number} */ at) => {
      while (buf.length - at >= 2) {
        const b0 = buf[at];
        const b1 = buf[at + 1];
        let len = b1 & 0x7f;
        let head = 2;
        if (len === 126) {
          if (buf.length - at < 4) break;
          len = buf.readUInt16BE(at + 2);
          head = 4;
        } else if (len === 127) {
          if (buf.length - at < 10) break;
          len = Number(buf.readBigUInt64BE(at + 2));
          head = 10;
        }
        const start = at + head;
        const end = start + len;
        if (end > buf.length) break;
        const opcode = b0 & 0x0f;
        if (opcode === 0x1 || opcode === 0x0) {
          if (d.socketio) {
            if (len === 1 && buf[start] === 0x32) write(0x1, "3");
            else if (!ready && buf[start] === 0x34 && buf[start + 1] === 0x30) becomeReady();
            else scan(buf, start, end, steps);
          } else scan(buf, start, end, steps);
        } else if (opcode === 0x9) {
          if (open) socket.write(clientFrame(0xa, buf.subarray(start, end)));
        } else if (opcode === 0x8) {
          if (!closing && ready) {
            health.unexpectedCloses++;
            const code = len >= 2 ? buf.readUInt16BE(start) : 1005;
            health.closeCodes[code] = (health.closeCodes[code] ?? 0) + 1;
          }
          closing = true;
          open = false;
          socket.end();
        }
        at = end;
      }
      return at;
    };
    socket.on("connect", () => socket.write(request));
    const onData = (/** @type {Buffer} */ chunk) => {
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      let at = 0;
      if (!upgraded) {
        const endOfHeader = buf.indexOf(HEADER_END);
        if (endOfHeader < 0) {
          pending = Buffer.from(buf);
          return;
        }
        const status = buf.toString("latin1", 0, buf.indexOf("\r\n"));
        if (!/^HTTP\/1\.1 101/.test(status)) return fail(new Error(`handshake refused: ${status}`));
        upgraded = true;
        open = true;
        at = endOfHeader + 4;
        if (d.socketio) write(0x1, "40");
        else becomeReady();
        if (at >= buf.length) return;
        buf = buf.subarray(at);
        at = 0;
      }
      at = frames(buf, at);
      if (at < buf.length) pending = Buffer.from(buf.subarray(at));
    };
    socket.on("error", (error) => {
      health.errors++;
      health.lastError = error.message;
      if (!ready) fail(error);
    });
    socket.on("close", () => {
      if (ready && open && !closing) {
        health.unexpectedCloses++;
        health.closeCodes["1006"] = (health.closeCodes["1006"] ?? 0) + 1;
      }
      open = false;
      onClosed();
      if (!ready) fail(new Error("connection closed during the handshake"));
    });
  });
}

/**
 * Opens one connection with the dialect's client.
 *
 * @param {ReturnType<typeof dialect>} d
 * @param {string} room
 * @param {ConnOptions} options
 * @param {Steps} steps
 * @param {Health} health
 */
export function connect(d, room, options, steps, health) {
  return d.client === "ws"
    ? connectWs(d, room, options, steps, health)
    : connectRaw(d, room, options, steps, health);
}

/**
 * Runs `task(i)` for i in [0, n) with at most `concurrency` in flight.
 *
 * @template T
 * @param {number} n
 * @param {number} concurrency
 * @param {(i: number) => Promise<T>} task
 * @returns {Promise<{ results: (T | undefined)[], failures: number, firstError: string }>}
 */
export async function pool(n, concurrency, task) {
  /** @type {(T | undefined)[]} */
  const results = new Array(n);
  let next = 0;
  let failures = 0;
  let firstError = "";
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        results[i] = await task(i);
      } catch (error) {
        failures++;
        firstError ||= String(/** @type {Error} */ (error)?.message ?? error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { results, failures, firstError };
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `send(k)` `rate` times a second for `durationMs`, evenly spaced.
 *
 * @param {number} rate messages per second
 * @param {number} durationMs
 * @param {(k: number) => void} send
 * @returns {Promise<{ sent: number, lagP99Ms: number | null }>} lag: how late sends left
 */
export function pace(rate, durationMs, send) {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const start = performance.now();
  const lag = new Histogram();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
      while (sent < due) {
        lag.add(Math.max(0, elapsed - (sent * 1000) / rate));
        send(sent++);
      }
      if (sent >= total) return resolve({ sent, lagP99Ms: lag.quantile(0.99) });
      const nextAt = (sent * 1000) / rate;
      setTimeout(tick, Math.max(0, Math.min(10, nextAt - (performance.now() - start))));
    };
    tick();
  });
}

/**
 * Waits until `h.n` reaches `expected`, progress stalls for `stallMs`, or `maxMs` pass.
 *
 * @param {Histogram} h @param {number} expected @param {number} maxMs @param {number} stallMs
 */
export async function drain(h, expected, maxMs, stallMs = 1000) {
  const start = performance.now();
  let last = h.n;
  let lastChange = start;
  while (h.n < expected && performance.now() - start < maxMs) {
    await sleep(20);
    if (h.n !== last) {
      last = h.n;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > stallMs) break;
  }
}

// ---------------------------------------------------------------------------
// HTTP helpers (our server's account API and history)
// ---------------------------------------------------------------------------

/** @param {string} url @param {unknown} body */
async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Signs up and logs in `count` fresh users; returns their tokens.
 *
 * @param {string} base @param {number} count @param {string} tag
 */
async function makeTokens(base, count, tag) {
  const { results, failures, firstError } = await pool(count, 4, async (i) => {
    const username = `bench-${tag}-${i}`;
    const secret = "bench secret";
    const created = await postJson(`${base}/api/v1/users`, { username, secret });
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(`sign-up answered ${created.status}: ${JSON.stringify(created.body)}`);
    }
    const login = await postJson(`${base}/api/v1/login`, { username, secret });
    if (login.status !== 200) {
      throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
    }
    return /** @type {string} */ (login.body.data.token);
  });
  if (failures > 0) throw new Error(`Cannot get tokens: ${firstError}`);
  return /** @type {string[]} */ (results);
}

/** @param {ServerRef} server @param {number} count */
export function tokensFor(server, count) {
  if (server.kind !== "ours") return Promise.resolve(/** @type {string[]} */ ([]));
  return makeTokens(server.base, count, Math.random().toString(36).slice(2, 8));
}

/** @param {string[]} tokens @param {number} i */
export const tokenAt = (tokens, i) => (tokens.length ? tokens[i % tokens.length] : undefined);

/** @param {string} message */
export const log = (message) => process.stderr.write(`[loadgen] ${message}\n`);

/**
 * Opens `n` connections with bounded concurrency.
 *
 * @param {ReturnType<typeof dialect>} d
 * @param {number} n
 * @param {number} concurrency
 * @param {(i: number) => { room: string, options: ConnOptions }} place
 * @param {Steps} steps @param {Health} health
 */
export async function openMany(d, n, concurrency, place, steps, health) {
  const started = performance.now();
  const { results, failures, firstError } = await pool(n, concurrency, (i) => {
    const { room, options } = place(i);
    return connect(d, room, options, steps, health).then((conn) => ({ ...conn, room }));
  });
  const conns = results.filter((c) => c !== undefined);
  if (failures > 0) log(`${failures} of ${n} connects failed: ${firstError}`);
  return { conns, failures, firstError, ms: performance.now() - started };
}

/** @param {{ close: () => Promise<void> }[]} conns */
export async function closeAll(conns) {
  await pool(conns.length, 500, (i) => conns[i].close());
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

/**
 * S1: one room, `subscribers` sockets (the first `publishers` also publish),
 * rising publish rates; CPU per delivery and latency per step.
 *
 * @param {Job} job
 */
async function fanout(job) {
  const p = job.params;
  const d = dialect(job.server, job.params.client);
  const proc = new ProcStats(job.server.pid, job.clkTck);
  const steps = new Steps();
  const health = new Health();
  const tokens = await tokensFor(job.server, Math.min(p.publishers, 10));
  const batch = Boolean(p.batch);
  const room = `fanout-${Math.random().toString(36).slice(2, 8)}`;
  const opened = await openMany(
    d,
    p.subscribers,
    p.connectConcurrency,
    // A room of its own: a server that ran an earlier job (the interleaved rounds)
    // would otherwise send its messages as join history, counted as deliveries.
    (i) => ({ room, options: { batch, token: tokenAt(tokens, i) } }),
    steps,
    health,
  );
  const conns = opened.conns;
  const members = conns.length;
  const publishers = conns.slice(0, Math.min(p.publishers, members));
  log(`fanout: ${members} members open in ${Math.round(opened.ms)} ms`);
  await sleep(500);

  const live = () => conns.filter((c) => c.isOpen()).length;
  const runStep = async (
    /** @type {number} */ step,
    /** @type {number} */ rate,
    /** @type {number} */ ms,
  ) => {
    const h = steps.get(step);
    const receivers = live();
    const meter = new Meter(proc);
    const { sent, lagP99Ms } = await pace(rate, ms, (k) => {
      publishers[k % publishers.length].send(messageText(step, p.textBytes));
    });
    const sendWallMs = performance.now() - meter.t0;
    // What arrived while the step was sending: a server that falls behind shows it here.
    const whileSending = h.n;
    const expected = sent * receivers;
    await drain(h, expected, p.drainMs);
    const m = meter.stop();
    const frames = steps.frames[step] ?? 0;
    return {
      rate,
      sent,
      expected,
      delivered: h.n,
      lossPct: round(((expected - h.n) / Math.max(1, expected)) * 100, 2),
      deliveriesPerSec: Math.round(h.n / (sendWallMs / 1000)),
      sendingDeliveriesPerSec: Math.round(whileSending / (sendWallMs / 1000)),
      messagesPerFrame: frames ? round(h.n / frames, 2) : null,
      latency: h.summary(),
      sendLagP99Ms: lagP99Ms,
      ...m,
      serverCpuUsPerDelivery: h.n ? round((m.serverCpuMs * 1000) / h.n, 3) : null,
      clientCpuUsPerDelivery: h.n ? round((m.clientCpuMs * 1000) / h.n, 3) : null,
    };
  };
  const passes = (/** @type {{ latency: { p99: number | null }, lossPct: number }} */ r) =>
    (r.latency.p99 ?? Infinity) <= p.p99LimitMs && r.lossPct <= 1;
  const broken = () => health.unexpectedCloses > members / 100;
  /** Waits until deliveries stop arriving (a failed step's backlog), at most 15 s. */
  const quiet = async () => {
    const until = performance.now() + 15_000;
    let last = -1;
    while (performance.now() < until && steps.total !== last) {
      last = steps.total;
      await sleep(500);
    }
  };

  // Warm-up (JIT, buffers); not reported.
  await runStep(0, Math.min(30, p.rates[0] ?? 30), p.warmupMs);
  const measure = await runStep(1, p.measureRate, p.measureMs);
  log(
    `fanout: ${p.measureRate}/s → ${measure.serverCpuUsPerDelivery} µs server CPU per delivery, p99 ${measure.latency.p99} ms`,
  );
  let step = 2;
  // The fixed load point (150 msg/s): how a server copes past what it keeps up with.
  const load = p.loadRate > 0 ? await runStep(step++, p.loadRate, p.loadMs) : null;
  if (load) {
    log(
      `fanout: ${p.loadRate}/s → ${load.sendingDeliveriesPerSec} deliveries/s while sending, p99 ${load.latency.p99} ms, ${load.serverCpuUsPerDelivery} µs server CPU per delivery`,
    );
    if (!passes(load)) await quiet();
  }
  /** @type {(Awaited<ReturnType<typeof runStep>> & { retry?: boolean, refine?: boolean })[]} */
  const ramp = [];
  const attempt = async (/** @type {number} */ rate, /** @type {object} */ extra = {}) => {
    const r = { ...(await runStep(step++, rate, p.stepMs)), ...extra };
    ramp.push(r);
    log(
      `fanout: ${rate}/s → ${r.deliveriesPerSec} deliveries/s, p99 ${r.latency.p99} ms, loss ${r.lossPct}%, server ${r.serverCpuPct}% client ${r.clientCpuPct}%`,
    );
    if (!passes(r)) await quiet();
    return passes(r);
  };
  // The measure step is the ramp's floor: a server that fails the first ramp rate
  // is refined between the two, not left at the measure rate.
  /** @type {number | undefined} */
  let lo = passes(measure) && measure.rate < (p.rates[0] ?? Infinity) ? measure.rate : undefined;
  /** @type {number | undefined} */
  let hi;
  for (const rate of p.rates) {
    if (broken()) break;
    // A failed step is tried again once: on a shared machine one stall can fail a step.
    let ok = await attempt(rate);
    for (let i = 0; !ok && i < p.retries && !broken(); i++) {
      ok = await attempt(rate, { retry: true });
    }
    if (ok) lo = rate;
    else {
      hi = rate;
      break;
    }
  }
  for (let i = 0; i < p.refine && lo !== undefined && hi !== undefined && !broken(); i++) {
    const mid = Math.round(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi) break;
    if (await attempt(mid, { refine: true })) lo = mid;
    else hi = mid;
  }
  // The 30 msg/s step counts too: a server that fails the whole ramp still has a figure.
  const ok = [measure, ...ramp].filter(passes);
  const best = ok.reduce(
    (a, r) => (!a || r.deliveriesPerSec > a.deliveriesPerSec ? r : a),
    /** @type {typeof ramp[number] | undefined} */ (undefined),
  );
  const rssKb = proc.rssKb();
  await closeAll(conns);
  return {
    members,
    connectFailures: opened.failures,
    measure,
    load,
    ramp,
    best: best ?? null,
    /** The ramp's last rate was still within the limit: the figure is a lower bound. */
    rampExhausted: hi === undefined && lo === p.rates[p.rates.length - 1],
    serverRssKb: rssKb,
    health,
  };
}

/**
 * S2: `rooms` rooms of `perRoom` sockets, one message per second per room.
 *
 * @param {Job} job
 */
async function manyRooms(job) {
  const p = job.params;
  const d = dialect(job.server, job.params.client);
  const proc = new ProcStats(job.server.pid, job.clkTck);
  const steps = new Steps();
  const health = new Health();
  const tokens = await tokensFor(job.server, 10);

  // Warm the server's code paths, then take the idle RSS.
  const warm = await openMany(
    d,
    20,
    20,
    (i) => ({ room: `warm-${i % 2}`, options: { token: tokenAt(tokens, i) } }),
    steps,
    health,
  );
  await pace(100, 500, (k) => warm.conns[k % warm.conns.length].send(messageText(0, p.textBytes)));
  await sleep(300);
  await closeAll(warm.conns);
  await sleep(p.settleMs);
  const idleRssKb = proc.rssKb();

  const total = p.rooms * p.perRoom;
  const meter = new Meter(proc);
  const opened = await openMany(
    d,
    total,
    p.connectConcurrency,
    (i) => ({ room: `room-${i % p.rooms}`, options: { token: tokenAt(tokens, i) } }),
    steps,
    health,
  );
  const connectStats = meter.stop();
  const sockets = opened.conns.length;
  log(`rooms: ${sockets} sockets open in ${Math.round(opened.ms)} ms`);
  await sleep(p.settleMs);
  const connectedRssKb = proc.rssKb();

  // Publishers: the first socket opened into each room.
  /** @type {Map<string, typeof opened.conns[number]>} */
  const publisherOf = new Map();
  /** @type {Map<string, number>} */
  const roomSize = new Map();
  for (const conn of opened.conns) {
    roomSize.set(conn.room, (roomSize.get(conn.room) ?? 0) + 1);
    if (!publisherOf.has(conn.room)) publisherOf.set(conn.room, conn);
  }
  const publishers = [...publisherOf.entries()];
  const h = steps.get(1);
  const traffic = new Meter(proc);
  const rate = publishers.length * p.perRoomRate;
  let expected = 0;
  const { sent, lagP99Ms } = await pace(rate, p.durationMs, (k) => {
    const [room, conn] = publishers[k % publishers.length];
    expected += roomSize.get(room) ?? 0;
    conn.send(messageText(1, p.textBytes));
  });
  await drain(h, expected, p.drainMs);
  const trafficStats = traffic.stop();
  const afterRssKb = proc.rssKb();
  await closeAll(opened.conns);
  const growth = Math.max(connectedRssKb, afterRssKb) - idleRssKb;
  return {
    sockets,
    connectFailures: opened.failures,
    connect: connectStats,
    rate,
    sent,
    expected,
    delivered: h.n,
    lossPct: round(((expected - h.n) / Math.max(1, expected)) * 100, 2),
    latency: h.summary(),
    sendLagP99Ms: lagP99Ms,
    traffic: trafficStats,
    idleRssKb,
    connectedRssKb,
    afterRssKb,
    rssPerSocketKb: sockets ? round(growth / sockets, 2) : null,
    serverCpuUsPerDelivery: h.n ? round((trafficStats.serverCpuMs * 1000) / h.n, 3) : null,
    health,
  };
}

/**
 * S3: `connects` connects (authenticated on our server) with bounded concurrency, `rounds` times.
 *
 * @param {Job} job
 */
async function storm(job) {
  const p = job.params;
  const d = dialect(job.server, job.params.client);
  const proc = new ProcStats(job.server.pid, job.clkTck);
  const steps = new Steps();
  const health = new Health();
  const tokens = await tokensFor(job.server, 10);
  // Warm-up round, not reported.
  const warm = await openMany(
    d,
    Math.min(p.warmup, p.connects),
    p.concurrency,
    (i) => ({ room: `storm-${i % p.rooms}`, options: { token: tokenAt(tokens, i) } }),
    steps,
    health,
  );
  await closeAll(warm.conns);
  await sleep(300);
  const rounds = [];
  for (let r = 0; r < p.rounds; r++) {
    const meter = new Meter(proc);
    const opened = await openMany(
      d,
      p.connects,
      p.concurrency,
      (i) => ({ room: `storm-${i % p.rooms}`, options: { token: tokenAt(tokens, i) } }),
      steps,
      health,
    );
    const m = meter.stop();
    const ok = opened.conns.length;
    rounds.push({
      connected: ok,
      failures: opened.failures,
      firstError: opened.firstError,
      connectsPerSec: Math.round(ok / (opened.ms / 1000)),
      ...m,
      serverCpuUsPerConnect: ok ? round((m.serverCpuMs * 1000) / ok, 1) : null,
      clientCpuUsPerConnect: ok ? round((m.clientCpuMs * 1000) / ok, 1) : null,
    });
    log(`storm: round ${r + 1}: ${ok} connects, ${rounds.at(-1)?.connectsPerSec}/s`);
    await closeAll(opened.conns);
    await sleep(p.pauseMs);
  }
  const sorted = [...rounds].sort((a, b) => a.connectsPerSec - b.connectsPerSec);
  return { rounds, median: sorted[Math.floor(sorted.length / 2)] ?? null, health };
}

/**
 * S4: sign-ups and logins at the server's hash cost while a busy room runs;
 * the room's delivery latency before and during the logins.
 *
 * @param {Job} job
 */
async function logins(job) {
  const p = job.params;
  const d = dialect(job.server, job.params.client);
  const proc = new ProcStats(job.server.pid, job.clkTck);
  const steps = new Steps();
  const health = new Health();
  const base = job.server.base;
  const tag = Math.random().toString(36).slice(2, 8);
  const [token] = await makeTokens(base, 1, `${tag}-pub`);
  const opened = await openMany(
    d,
    p.roomMembers,
    50,
    (i) => ({ room: "busy", options: { token: i === 0 ? token : undefined } }),
    steps,
    health,
  );
  const members = opened.conns.length;
  const publisher = opened.conns[0];
  if (!publisher) throw new Error("Cannot open the busy room");

  // The busy room runs on its own until stopped; phase = the step id of its messages.
  let phase = 0;
  let running = true;
  const sent = [0, 0, 0, 0];
  const room = (async () => {
    while (running) {
      await pace(p.roomRate, 500, () => {
        if (!running) return;
        sent[phase]++;
        publisher.send(messageText(phase, p.textBytes));
      });
    }
  })();

  phase = 0; // warm-up
  await sleep(1000);
  phase = 1; // baseline: no logins
  const baseMeter = new Meter(proc);
  await sleep(p.baselineMs);
  const baseline = baseMeter.stop();

  /** @param {"users" | "login"} path */
  const hammer = async (path) => {
    /** @type {number[]} */
    const latencies = [];
    /** @type {Record<string, number>} */
    const statuses = {};
    const meter = new Meter(proc);
    await pool(p.accounts, p.concurrency, async (i) => {
      const t0 = performance.now();
      const res = await postJson(`${base}/api/v1/${path}`, {
        username: `bench-${tag}-${i}`,
        secret: "bench secret",
      });
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    });
    const m = meter.stop();
    return {
      requests: latencies.length,
      statuses,
      perSec: round(latencies.length / (m.wallMs / 1000), 2),
      latencyMs: {
        p50: quantileOf(latencies, 0.5),
        p99: quantileOf(latencies, 0.99),
        max: quantileOf(latencies, 1),
      },
      ...m,
    };
  };

  phase = 2; // sign-ups
  const signUps = await hammer("users");
  log(`logins: ${signUps.requests} sign-ups, ${signUps.perSec}/s`);
  phase = 3; // logins
  const loginsResult = await hammer("login");
  log(`logins: ${loginsResult.requests} logins, ${loginsResult.perSec}/s`);
  running = false;
  await room;
  for (const ph of [1, 2, 3]) await drain(steps.get(ph), sent[ph] * members, p.drainMs);
  await closeAll(opened.conns);
  const roomStats = (/** @type {number} */ ph) => ({
    sent: sent[ph],
    expected: sent[ph] * members,
    delivered: steps.get(ph).n,
    latency: steps.get(ph).summary(),
  });
  return {
    members,
    roomRate: p.roomRate,
    baseline: { ...roomStats(1), ...baseline },
    signUps: { ...signUps, room: roomStats(2) },
    logins: { ...loginsResult, room: roomStats(3) },
    health,
  };
}

/**
 * S5: `requests` history pages at random positions of a seeded room.
 *
 * @param {Job} job
 */
async function history(job) {
  const p = job.params;
  const proc = new ProcStats(job.server.pid, job.clkTck);
  const url = (/** @type {number} */ before) =>
    `${job.server.base}/api/v1/rooms/${
      encodeURIComponent(p.room)
    }/messages?before=${before}&limit=${p.limit}`;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = () => 1 + p.limit + Math.floor(random() * (p.messages - p.limit));
  /** @type {Record<string, number>} */
  const statuses = {};
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(url(pick()));
    const body = await res.json();
    const ms = performance.now() - t0;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status !== 200 || body.data.messages.length !== p.limit) {
      throw new Error(
        `history answered ${res.status} with ${body?.data?.messages?.length} messages`,
      );
    }
    return ms;
  };
  await pool(p.warmup, p.concurrency, get);
  const meter = new Meter(proc);
  const { results, failures, firstError } = await pool(p.requests, p.concurrency, get);
  const m = meter.stop();
  const latencies = /** @type {number[]} */ (results.filter((x) => x !== undefined));
  return {
    requests: latencies.length,
    failures,
    firstError,
    statuses,
    perSec: round(latencies.length / (m.wallMs / 1000), 1),
    latencyMs: {
      p50: quantileOf(latencies, 0.5),
      p90: quantileOf(latencies, 0.9),
      p99: quantileOf(latencies, 0.99),
      max: quantileOf(latencies, 1),
    },
    ...m,
    serverCpuUsPerRequest: latencies.length
      ? round((m.serverCpuMs * 1000) / latencies.length, 1)
      : null,
  };
}

/**
 * @typedef {{ scenario: string, server: ServerRef, clkTck: number, params: any }} Job
 */

const SCENARIOS = { fanout, manyRooms, storm, logins, history };

async function main() {
  /** @type {Job} */
  const job = JSON.parse(process.argv[2] ?? "{}");
  const run = SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (job.scenario)];
  if (!run) throw new Error(`Unknown scenario "${job.scenario}"`);
  const deadline = setTimeout(() => {
    log(`giving up after ${job.params.timeLimitMs} ms`);
    process.exit(3);
  }, job.params.timeLimitMs ?? 300_000);
  const result = await run(job);
  clearTimeout(deadline);
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

// Run as a program (not when imported by another load process).
if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    log(String(error?.stack ?? error));
    process.exit(1);
  });
}
