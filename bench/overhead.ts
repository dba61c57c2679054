/**
 * Where our server's CPU goes beyond the bare Deno floor's in S1's 30 msg/s
 * measure, split into parts measured apart, ours and the floor side by side,
 * interleaved round after round:
 *
 * - **background**: the process with no socket (our timers: memory guard,
 *   revocation refresh, presence);
 * - **idle sockets**: N idle sockets, less the background (Deno's pings, ours
 *   every 15 s of silence with `idleTimeout` 30 s, the floor's every 60 s);
 * - **per message**: one socket sending and reading its own messages (our
 *   parse, permission check, SQLite append, bus and encode; the floor's echo);
 * - **fan-out**: one publisher and N − 1 readers at the S1 rate; what the
 *   three parts above do not explain is the remainder, per delivery;
 * - **fan-out, both at once**: the same on ours and the floor at the same
 *   time, the ratio taken within each round (this machine's speed drifts by
 *   half between rounds a minute apart; two servers measured together see the
 *   same machine), with the user and system CPU apart.
 *
 * `deno task bench:overhead [--rounds=3] [--sockets=1000] [--rate=30] [--hold-ms=15000] [--out=bench/OVERHEAD.md]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ensurePeers, machineInfo } from "./machine.ts";
import { headerTable, num, table } from "./report_format.ts";
import { signIn } from "../tests/_helpers/server.ts";
import { oursEnv, REPO_ROOT, type RunningServer, startServer } from "./servers.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    sockets: { type: "string", default: "1000" },
    rate: { type: "string", default: "30" },
    "hold-ms": { type: "string", default: "15000" },
    out: { type: "string", default: `${REPO_ROOT}/bench/OVERHEAD.md` },
  },
});
/** A flag's whole number in [min, max]; anything else ends the run with usage. */
function whole(name: string, min: number, max: number): number {
  const raw = values[name as keyof typeof values] ?? "";
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    console.error(`--${name}=${raw}: expected a whole number from ${min} to ${max}`);
    Deno.exit(2);
  }
  return value;
}
const rounds = whole("rounds", 1, 20);
// Below the fd limit (20,000 here), one client process holds them all.
const sockets = whole("sockets", 2, 15_000);
const rate = whole("rate", 1, 1000);
const holdMs = whole("hold-ms", 1000, 120_000);
const say = (message: string) => console.error(`[overhead] ${message}`);

type Measure = "background" | "idle" | "perMessage" | "fanout";
const MEASURES: readonly Measure[] = ["background", "idle", "perMessage", "fanout"];
type Figures = Record<Measure, number[]>;

/** What an `idle` job answers. */
interface IdleResult {
  readonly sockets: number;
  readonly cpuMsPerSec: number;
}

/** What a `publish` job answers. */
interface PublishResult {
  readonly messages: number;
  readonly deliveries: number;
  readonly lost: number;
  readonly cpuUsPerMessage: number;
  readonly userUsPerMessage: number;
  readonly sysUsPerMessage: number;
}

/** Runs one job of `peers/overhead_client.mjs`; returns its JSON result. */
async function client<T>(job: Record<string, unknown>): Promise<T> {
  const out = await new Deno.Command("node", {
    args: [`${REPO_ROOT}/bench/peers/overhead_client.mjs`, JSON.stringify(job)],
    cwd: `${REPO_ROOT}/bench/peers`,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !text) {
    throw new Error(`overhead client failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`);
  }
  return JSON.parse(text);
}

/** The socket URL of `room` on `server`. */
function roomUrl(server: RunningServer, room: string): string {
  const ws = server.base.replace(/^http/, "ws");
  return server.kind === "ours" ? `${ws}/api/v1/rooms/${room}/ws` : `${ws}/rooms/${room}`;
}

/** S1's fan-out at `rate` into `sockets` sockets of `room`; throws if a delivery is lost. */
async function fanOut(
  server: RunningServer,
  token: string | undefined,
  room: string,
): Promise<PublishResult> {
  const result = await client<PublishResult>({
    kind: "publish",
    url: roomUrl(server, room),
    pid: server.pid,
    token,
    readers: sockets - 1,
    count: Math.round(rate * holdMs / 1000),
    rate,
  });
  if (result.lost) throw new Error(`${server.kind} lost ${result.lost} deliveries in ${room}`);
  return result;
}

/** One round of every measure on one server; each publishing job in a room of its own. */
async function measureRound(
  server: RunningServer,
  token: string | undefined,
  round: number,
): Promise<Record<Measure, number>> {
  const url = (room: string) => roomUrl(server, room);
  const pid = server.pid;
  const background = await client<IdleResult>({
    kind: "idle",
    url: url("idle"),
    pid,
    sockets: 0,
    holdMs,
  });
  const idle = await client<IdleResult>({ kind: "idle", url: url("idle"), pid, sockets, holdMs });
  const single = await client<PublishResult>({
    kind: "publish",
    url: url(`one-${round}`),
    pid,
    token,
    readers: 0,
    count: 3000,
    rate: 300,
  });
  if (single.lost) throw new Error(`${server.kind} lost ${single.lost} messages alone`);
  const fanout = await fanOut(server, token, `many-${round}`);
  return {
    background: background.cpuMsPerSec,
    idle: idle.cpuMsPerSec,
    perMessage: single.cpuUsPerMessage,
    fanout: fanout.cpuUsPerMessage,
  };
}

const median = (list: readonly number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

await ensurePeers();
const startedAt = new Date().toISOString();
const started = performance.now();
const machine = await machineInfo();
const dir = await Deno.makeTempDir({ prefix: "chat-bench-overhead-" });
const figures: Record<"ours" | "floor", Figures> = {
  ours: { background: [], idle: [], perMessage: [], fanout: [] },
  floor: { background: [], idle: [], perMessage: [], fanout: [] },
};
/** Each round's fan-out on both at once, per delivery. */
const paired: { ours: PublishResult; floor: PublishResult }[] = [];
{
  await using ours = await startServer({ kind: "ours", env: oursEnv(dir) });
  await using floor = await startServer({ kind: "floor" });
  const { token } = await signIn({ url: ours.base }, "overhead");
  for (let round = 1; round <= rounds; round++) {
    for (const [id, server] of [["ours", ours], ["floor", floor]] as const) {
      say(`round ${round} of ${rounds} on ${id}`);
      const r = await measureRound(server, id === "ours" ? token : undefined, round);
      for (const m of MEASURES) figures[id][m].push(r[m]);
    }
    say(`round ${round} of ${rounds} on both at once`);
    const [o, f] = await Promise.all([
      fanOut(ours, token, `pair-${round}`),
      fanOut(floor, undefined, `pair-${round}`),
    ]);
    paired.push({ ours: o, floor: f });
  }
}
await Deno.remove(dir, { recursive: true }).catch(() => {});

// The parts, as µs per delivery of the fan-out (rate × sockets deliveries per second).
const perSecond = rate * sockets;
const med = (id: "ours" | "floor", m: Measure) => median(figures[id][m]);
const gap = (m: Measure) => med("ours", m) - med("floor", m);
const background = (gap("background") * 1000) / perSecond;
const idleSockets = ((gap("idle") - gap("background")) * 1000) / perSecond;
const perMessage = gap("perMessage") / sockets;
const total = gap("fanout") / sockets;
const rest = total - background - idleSockets - perMessage;
const floorPerDelivery = med("floor", "fanout") / sockets;
const share = (us: number) =>
  `${num(us, 3)} µs (${num((us / floorPerDelivery) * 100, 1)} % of the floor's)`;

const units: Record<Measure, string> = {
  background: "ms CPU per second, no socket",
  idle: `ms CPU per second, ${num(sockets)} idle sockets`,
  perMessage: "µs CPU per message, one socket sending and reading",
  fanout: `µs CPU per message, ${num(sockets)} sockets at ${rate} msg/s`,
};
const lines = [
  "# Where our CPU goes beyond the floor's",
  "",
  headerTable({
    startedAt,
    command:
      `deno run -A bench/overhead.ts --rounds=${rounds} --sockets=${sockets} --rate=${rate} --hold-ms=${holdMs}`,
    durationSec: (performance.now() - started) / 1000,
    machine,
  }),
  "",
  "Our server (`src/main.ts`, the benchmark's settings: SQLite, rate limits lifted) and the bare",
  "Deno floor run side by side; each measure is taken on one, then the other, round after round.",
  "CPU is the server process's utime + stime from `/proc`. The load client is",
  "`bench/peers/overhead_client.mjs` (npm `ws`).",
  "",
  table(
    ["measure", "ours, each round", "floor, each round", "ours (median)", "floor (median)"],
    MEASURES.map((m) => [
      units[m],
      figures.ours[m].map((v) => num(v, 1)).join(", "),
      figures.floor[m].map((v) => num(v, 1)).join(", "),
      num(med("ours", m), 1),
      num(med("floor", m), 1),
    ]),
  ),
  "",
  `## The gap per delivery at ${rate} msg/s into ${num(sockets)} sockets`,
  "",
  `The floor spends ${num(floorPerDelivery, 3)} µs per delivery; ours ${
    num(total + floorPerDelivery, 3)
  } µs (${num(total / floorPerDelivery + 1, 2)}×). The gap, by part:`,
  "",
  table(["part", "ours beyond the floor, per delivery"], [
    ["background (no socket)", share(background)],
    ["idle sockets (pings, per-socket timers)", share(idleSockets)],
    ["per message (parse, permission, SQLite append, bus, encode)", share(perMessage)],
    ["the rest: per delivery, and what the parts do not add up to", share(rest)],
    ["**total**", share(total)],
  ]),
  "",
  "## Both at once",
  "",
  `The same fan-out on ours and the floor at the same time, in each round; CPU in µs per delivery.`,
  "",
  table(
    [
      "round",
      "ours: user + system",
      "floor: user + system",
      "ours ÷ floor",
      "user ÷ user",
      "system ÷ system",
    ],
    paired.map(({ ours, floor }, i) => {
      const d = (us: number) => us / sockets;
      const split = (r: PublishResult) =>
        `${num(d(r.userUsPerMessage), 2)} + ${num(d(r.sysUsPerMessage), 2)}`;
      return [
        String(i + 1),
        split(ours),
        split(floor),
        num(ours.cpuUsPerMessage / floor.cpuUsPerMessage, 2),
        num(ours.userUsPerMessage / floor.userUsPerMessage, 2),
        num(ours.sysUsPerMessage / floor.sysUsPerMessage, 2),
      ];
    }),
  ),
  "",
  `Median ratio: ${
    num(median(paired.map((p) => p.ours.cpuUsPerMessage / p.floor.cpuUsPerMessage)), 2)
  }× in all, ${
    num(median(paired.map((p) => p.ours.userUsPerMessage / p.floor.userUsPerMessage)), 2)
  }× in user time, ${
    num(median(paired.map((p) => p.ours.sysUsPerMessage / p.floor.sysUsPerMessage)), 2)
  }× in system time (the kernel's: TCP over loopback).`,
  "",
];
await Deno.writeTextFile(values.out!, lines.join("\n"));
say(`wrote ${values.out}`);
