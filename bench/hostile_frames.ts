/**
 * Hostile frames: how much memory a few anonymous sockets can make the server
 * hold by each sending one huge text frame. Deno reads a whole frame (up to
 * 64 MiB) before the server's code sees it and has no option to lower that
 * (denoland/deno#15809), so this measures what is left once the server does
 * what it can. Results: `bench/HOSTILE_FRAMES.md`.
 *
 * ```sh
 * deno run -A bench/hostile_frames.ts                       # 40 sockets × one 60 MiB frame, before and after
 * deno run -A bench/hostile_frames.ts --sockets=100 --frame-mib=60
 * deno run -A bench/hostile_frames.ts --root=/path/to/other/checkout   # the same attack on other code
 * deno run -A bench/hostile_frames.ts --env=MEMORY_HIGH_WATER_MB=0      # a server variable
 * ```
 *
 * The server is `deno run src/main.ts` of `--root` on 127.0.0.1, a fresh SQLite file and
 * otherwise its defaults. Every socket is opened first (as an attacker would), then every
 * socket sends its frame at once. The server's resident memory is read from
 * `/proc/<pid>/status` (`VmRSS` every 50 ms, and the kernel's own peak `VmHWM`).
 *
 * @module
 */

const MIB = 1024 * 1024;

interface Options {
  sockets: number;
  frameMib: number;
  root: string;
  env: Record<string, string>;
  /** Seconds to watch the memory after the last byte was sent. */
  settleSeconds: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = {
    sockets: 40,
    frameMib: 60,
    root: new URL("../", import.meta.url).pathname,
    env: {},
    settleSeconds: 5,
  };
  for (const arg of args) {
    const [name, value = ""] = arg.replace(/^--/, "").split(/=(.*)/s, 2) as [string, string?];
    if (name === "sockets") options.sockets = bounded(value, name, 1, 1000);
    else if (name === "frame-mib") options.frameMib = bounded(value, name, 1, 63);
    else if (name === "settle-seconds") options.settleSeconds = bounded(value, name, 1, 60);
    else if (name === "root") options.root = value.endsWith("/") ? value : `${value}/`;
    else if (name === "env") {
      const [key, v = ""] = value.split(/=(.*)/s, 2) as [string, string?];
      options.env[key] = v;
    } else {
      throw new Error(
        `Unknown flag "${arg}": expected --sockets, --frame-mib, --settle-seconds, --root, --env`,
      );
    }
  }
  return options;
}

function bounded(raw: string, name: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Invalid --${name} "${raw}": expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** `VmRSS` and `VmHWM` of a process in bytes. */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") * 1024, hwm: kib("VmHWM") * 1024 };
}

/** The header of one masked text frame of `length` bytes, with a zero mask (payload sent as is). */
function frameHeader(length: number): Uint8Array {
  const head = new Uint8Array(14);
  head[0] = 0x81;
  head[1] = 0x80 | 127;
  new DataView(head.buffer).setBigUint64(2, BigInt(length));
  // Bytes 10..13: the masking key 0, so the payload needs no masking work.
  return head;
}

/** What one hostile socket saw. */
interface Outcome {
  status: number;
  /** The server's close code, `reset` when the connection dropped without one, `open` otherwise. */
  end: string;
}

/** Opens one anonymous socket; resolves with its status and the connection. */
async function openSocket(port: number): Promise<{ status: number; conn: Deno.TcpConn }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const request = [
    "GET /api/v1/rooms/hostile/ws HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(request));
  let head = "";
  const buffer = new Uint8Array(4096);
  for (let i = 0; i < 64 && !head.includes("\r\n\r\n"); i++) {
    const n = await conn.read(buffer);
    if (n === null) break;
    head += new TextDecoder().decode(buffer.subarray(0, n));
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), conn };
}

/** Writes all of `bytes` (a `write` may take only part of them). */
async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** Sends the frame, then reads until the server closes or `deadline`; returns how it ended. */
async function attack(conn: Deno.TcpConn, length: number, deadline: number): Promise<string> {
  const chunk = new Uint8Array(MIB).fill(0x61);
  const reading = (async () => {
    const buffer = new Uint8Array(64 * 1024);
    let seen = new Uint8Array(0);
    while (Date.now() < deadline) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch {
        return "reset";
      }
      if (n === null) break;
      const all = new Uint8Array(seen.length + n);
      all.set(seen);
      all.set(buffer.subarray(0, n), seen.length);
      seen = all.slice(-64 * 1024);
      // A close frame from the server: opcode 8, unmasked, code in the first two payload bytes.
      for (let i = 0; i + 3 < all.length; i++) {
        if (all[i] === 0x88 && (all[i + 1]! & 0x7f) >= 2 && (all[i + 1]! & 0x7f) < 126) {
          return String((all[i + 2]! << 8) | all[i + 3]!);
        }
      }
    }
    return "eof";
  })();
  try {
    await writeAll(conn, frameHeader(length));
    for (let sent = 0; sent < length && Date.now() < deadline; sent += chunk.length) {
      await writeAll(conn, chunk.subarray(0, Math.min(chunk.length, length - sent)));
    }
  } catch {
    // The server dropped the connection while the frame was being sent.
  }
  const end = await Promise.race([
    reading,
    new Promise<string>((r) => setTimeout(() => r("open"), Math.max(0, deadline - Date.now()))),
  ]);
  try {
    conn.close();
  } catch {
    // Already closed.
  }
  return end;
}

async function waitHealthy(url: string, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => (exited = true));
  for (let i = 0; i < 300; i++) {
    if (exited) throw new Error("the server exited before listening");
    try {
      const response = await fetch(`${url}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not listen within 30 s");
}

/** One run of the attack; returns its figures. */
export async function measure(options: Options) {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "hostile-frames-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${options.root}src/main.ts`],
    cwd: dir,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: `${dir}/chat.sqlite3`,
      LOG_LEVEL: "warn",
      DENO_NO_UPDATE_CHECK: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) log += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child);
    await new Promise((r) => setTimeout(r, 1000));
    const baseline = await memoryOf(child.pid);

    const opened = await Promise.all(
      Array.from({ length: options.sockets }, () => openSocket(port)),
    );
    const statuses = new Map<number, number>();
    for (const { status } of opened) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const upgraded = opened.filter((o) => o.status === 101);
    for (const o of opened) if (o.status !== 101) o.conn.close();

    let peakSampled = baseline.rss;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakSampled = Math.max(peakSampled, (await memoryOf(child.pid)).rss);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = performance.now();
    const deadline = Date.now() + 60_000;
    const length = options.frameMib * MIB;
    const ends = await Promise.all(upgraded.map((o) => attack(o.conn, length, deadline)));
    const attackSeconds = (performance.now() - started) / 1000;

    // A legitimate request during the aftermath: does the server still answer?
    const healthStarted = performance.now();
    const health = await fetch(`${url}/healthz`).then(async (r) => {
      await r.body?.cancel();
      return r.status;
    }, () => 0);
    const healthMs = performance.now() - healthStarted;
    // A new socket right after the attack: refused (503) while memory is above the mark.
    const late = await openSocket(port);
    late.conn.close();

    await new Promise((r) => setTimeout(r, options.settleSeconds * 1000));
    sampling = false;
    await sampler;
    const after = await memoryOf(child.pid);
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text(), () => "");
    const outcomes: Outcome[] = upgraded.map((o, i) => ({ status: o.status, end: ends[i]! }));
    const endCounts: Record<string, number> = {};
    for (const { end } of outcomes) endCounts[end] = (endCounts[end] ?? 0) + 1;
    return {
      baselineMiB: baseline.rss / MIB,
      peakMiB: Math.max(peakSampled, after.hwm) / MIB,
      afterMiB: after.rss / MIB,
      statuses: Object.fromEntries(statuses),
      ends: endCounts,
      attackSeconds,
      health,
      healthMs,
      lateSocketStatus: late.status,
      overloadMetrics: metrics.split("\n").filter((line) =>
        /^(chat_overload|chat_memory_high_water|chat_ws_closes_total\{code="10(08|09|13)|process_resident)/
          .test(line)
      ),
    };
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await Promise.race([drained, new Promise((r) => setTimeout(r, 1000))]);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    if (log.trim()) console.error(`[server log]\n${log.trim().split("\n").slice(-20).join("\n")}`);
  }
}

/** The server variables that mimic the server before the per-address cap was lowered and the guard added. */
export const BEFORE_ENV: Readonly<Record<string, string>> = Object.freeze({
  MAX_SOCKETS_PER_ADDRESS: "1000",
  MEMORY_HIGH_WATER_MB: "0",
});

type Result = Awaited<ReturnType<typeof measure>>;

const mib = (n: number) => `${n.toFixed(0)} MiB`;

/** One run's figures as lines of text. */
function describe(label: string, env: Record<string, string>, result: Result, settle: number) {
  return [
    `${label} (${
      Object.keys(env).length
        ? Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")
        : "defaults"
    })`,
    `  handshakes:        ${JSON.stringify(result.statuses)}`,
    `  RSS baseline:      ${mib(result.baselineMiB)}`,
    `  RSS peak (VmHWM):  ${mib(result.peakMiB)}`,
    `  RSS ${settle} s after:     ${mib(result.afterMiB)}`,
    `  socket ends:       ${JSON.stringify(result.ends)}`,
    `  attack took:       ${result.attackSeconds.toFixed(1)} s`,
    `  /healthz after:    ${result.health} in ${result.healthMs.toFixed(0)} ms`,
    `  new socket after:  ${result.lateSocketStatus}`,
    ...result.overloadMetrics.map((line) => `  ${line}`),
  ].join("\n");
}

/** The report written to `bench/HOSTILE_FRAMES.md`. */
function report(options: Options, before: Result, after: Result, command: string): string {
  const cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
  const memKiB = Number(Deno.readTextFileSync("/proc/meminfo").match(/MemTotal:\s*(\d+)/)?.[1]);
  const row = (label: string, r: Result) =>
    `| ${label} | ${JSON.stringify(r.statuses)} | ${mib(r.baselineMiB)} | ${mib(r.peakMiB)} | ` +
    `${mib(r.afterMiB)} | ${JSON.stringify(r.ends)} | ${r.lateSocketStatus} |`;
  return `# Hostile frames: memory held by anonymous sockets sending huge frames

Generated by \`bench/hostile_frames.ts\`; do not edit by hand.

- Date: ${new Date().toISOString()}
- Machine: ${cpu}, ${navigator.hardwareConcurrency} cores, ${
    (memKiB / 1024 / 1024).toFixed(1)
  } GiB RAM, ${Deno.build.os}
- Deno: ${Deno.version.deno}
- Command: \`${command}\`
- Attack: ${options.sockets} anonymous sockets from one address (127.0.0.1), all opened first, then
  each sends one ${options.frameMib} MiB text frame at once. The server is \`deno run src/main.ts\`
  with a fresh SQLite file. RSS from \`/proc/<pid>/status\` (VmRSS every 50 ms, and VmHWM).

| Server | Handshakes | RSS before | RSS peak | RSS ${options.settleSeconds} s after | How the sockets ended | New socket after |
| --- | --- | --- | --- | --- | --- | --- |
${row("Before: MAX_SOCKETS_PER_ADDRESS=1000, MEMORY_HIGH_WATER_MB=0", before)}
${row("After: the defaults (MAX_SOCKETS_PER_ADDRESS=20, MEMORY_HIGH_WATER_MB=1024)", after)}

Peak after / before: ${(after.peakMiB / before.peakMiB).toFixed(2)}.

## What remains (the platform limit)

Deno reads a whole WebSocket frame, up to 64 MiB, before the server's code sees it, has no
option to lower that (denoland/deno#15809), and gives JavaScript no way to abort a socket's
TCP connection: a frame already in flight is read whole even after the server closed its
socket. So the worst case is 64 MiB for every socket open when the attack starts:
MAX_SOCKETS_PER_ADDRESS × 64 MiB = 1.25 GiB per client address at the default 20, and for an
attacker with many addresses, every socket it opened before the sampler (every 250 ms) saw
RSS pass MEMORY_HIGH_WATER_MB. Past the mark no new socket is accepted (503 OVERLOADED) and
anonymous sockets are closed (1013 OVERLOADED), so the memory stops growing with new
sockets; what was already in flight still arrives. A proxy in front that limits frame or
message sizes (or connections per address) is the only cap on that.

## Raw figures

\`\`\`text
${describe("Before", BEFORE_ENV as Record<string, string>, before, options.settleSeconds)}

${describe("After", {}, after, options.settleSeconds)}
\`\`\`
`;
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  const before = await measure({ ...options, env: { ...BEFORE_ENV, ...options.env } });
  console.log(describe("Before", { ...BEFORE_ENV, ...options.env }, before, options.settleSeconds));
  const after = await measure(options);
  console.log(describe("After", options.env, after, options.settleSeconds));
  const command = ["deno run -A bench/hostile_frames.ts", ...Deno.args].join(" ");
  const out = new URL("./HOSTILE_FRAMES.md", import.meta.url);
  await Deno.writeTextFile(out, report(options, before, after, command));
  // Aligned as `deno fmt --check` (part of `deno task check`) wants it.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", out.pathname],
    stdout: "null",
  })
    .output();
  console.log(`Wrote ${out.pathname}`);
}
