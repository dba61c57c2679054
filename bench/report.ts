/**
 * Renders one run's results as `RESULTS.md`: the machine, the command, every
 * scenario's figures and ratios, and each target marked met or not met.
 *
 * @module
 */
import type { ServerId } from "./options.ts";
import {
  failures,
  headerTable,
  interleavedTable,
  LABELS,
  mb,
  num,
  ok,
  quickNote,
  ratio,
  table,
  type TargetRow,
  targetTable,
  times,
} from "./report_format.ts";
import { s1Section } from "./report_s1.ts";
import { earlierTargets, issueTargets } from "./report_targets.ts";
import {
  type HistoryResult,
  isFailure,
  type LoginsResult,
  type ProfileResult,
  type RoomsResult,
  type RunResults,
  type StormResult,
} from "./results.ts";

export { num } from "./report_format.ts";
export { s1CpuOf, s1LoadOf, s3RateOf } from "./report_targets.ts";

/** Evaluates every target against one run: this issue's first, then the earlier ones. */
export function evaluateTargets(r: RunResults): TargetRow[] {
  return [...issueTargets(r), ...earlierTargets(r)];
}

function s2Section(r: RunResults): string {
  const floor = ok(r.s2.floor);
  const bun = ok(r.s2.bun);
  const rows = (Object.keys(r.s2) as ServerId[]).flatMap((id) => {
    const x = ok(r.s2[id]) as RoomsResult | undefined;
    if (!x) return [];
    return [[
      LABELS[id],
      num(x.sockets),
      mb(x.idleRssKb),
      mb(x.connectedRssKb),
      mb(x.afterRssKb),
      num(x.rssPerSocketKb, 2),
      times(ratio(x.rssPerSocketKb, floor?.rssPerSocketKb)),
      times(ratio(x.rssPerSocketKb, bun?.rssPerSocketKb)),
      `${num(x.latency.p50, 1)} / ${num(x.latency.p99, 1)}`,
      num(x.lossPct, 2),
      num(x.serverCpuUsPerDelivery, 3),
      `${num(x.traffic.serverCpuPct)} / ${num(x.traffic.clientCpuPct)}`,
      num(x.connect.wallMs / 1000, 1),
      [
        x.connectFailures ? `${x.connectFailures} connects failed` : "",
        x.health.unexpectedCloses ? `${x.health.unexpectedCloses} closes` : "",
      ]
        .filter(Boolean).join("; ") || " ",
    ]];
  });
  return [
    "## S2 many rooms",
    "",
    `${num(r.sizes["s2.rooms"] as number)} rooms of ${
      num(r.sizes["s2.perRoom"] as number)
    } sockets, ${num(r.sizes["s2.perRoomRate"] as number)} message per second per room for ${
      num((r.sizes["s2.durationMs"] as number) / 1000)
    } s. Memory per socket is the server's RSS growth over its idle (warmed-up) process, at the larger of "connected" and "after traffic", divided by the sockets.`,
    "",
    table(
      [
        "server",
        "sockets",
        "RSS idle MiB",
        "RSS connected MiB",
        "RSS after traffic MiB",
        "KiB/socket",
        "vs floor",
        "vs Bun",
        "p50 / p99 ms",
        "loss %",
        "server µs/delivery",
        "server / client CPU %",
        "connect s",
        "notes",
      ],
      rows,
    ),
    "",
    ...failures(r.s2),
  ].join("\n");
}

function s3Section(r: RunResults): string {
  const floor = ok(r.s3.floor);
  const bun = ok(r.s3.bun);
  const rows = (Object.keys(r.s3) as ServerId[]).flatMap((id) => {
    const x = ok(r.s3[id]) as StormResult | undefined;
    const m = x?.median;
    if (!x || !m) return [];
    return [[
      LABELS[id],
      id === "ours" ? "JWT (subprotocol)" : "none",
      num(m.connected),
      num(m.connectsPerSec),
      x.rounds.map((round) => num(round.connectsPerSec)).join(", "),
      times(ratio(m.connectsPerSec, floor?.median?.connectsPerSec)),
      times(ratio(m.connectsPerSec, bun?.median?.connectsPerSec)),
      num(m.serverCpuUsPerConnect, 1),
      num(m.clientCpuUsPerConnect, 1),
      `${num(m.serverCpuPct)} / ${num(m.clientCpuPct)}`,
      num(x.rounds.reduce((n, round) => n + round.failures, 0)),
    ]];
  });
  return [
    "## S3 connect storm",
    "",
    `${num(r.sizes["s3.connects"] as number)} connects across ${
      num(r.sizes["s3.rooms"] as number)
    } rooms, ${num(r.sizes["s3.concurrency"] as number)} in flight, ${
      num(r.sizes["s3.rounds"] as number)
    } rounds after a warm-up; the median round is reported. A connect counts once the socket is open (Socket.IO: once its namespace connect is acknowledged).`,
    "",
    table(
      [
        "server",
        "auth",
        "connects",
        "connects/s (median)",
        "each round",
        "vs floor",
        "vs Bun",
        "server µs/connect",
        "client µs/connect",
        "server / client CPU %",
        "failures",
      ],
      rows,
    ),
    "",
    ...failures(r.s3),
    ...interleavedTable(
      r.s3Interleaved,
      "### The storm, interleaved",
      `After the runs above every server is started again, all at once, and one storm round (after its own warm-up) is measured on each in turn, round after round (${
        num(r.sizes["s3.interleavedRounds"] as number)
      } rounds). The target uses the medians.`,
      "connects/s, each round",
      0,
    ),
  ].join("\n");
}

function s4Section(r: RunResults): string {
  if (r.s4 === undefined) return "";
  if (isFailure(r.s4)) {
    return `## S4 sign-up and login\n\nDid not run: ${r.s4.error.split("\n")[0]}\n`;
  }
  const x: LoginsResult = r.s4;
  const room = (p: LoginsResult["baseline"] | LoginsResult["logins"]["room"]) =>
    `${num(p.latency.p50, 1)} / ${num(p.latency.p99, 1)} / ${num(p.latency.max, 1)}`;
  const auth = (name: string, a: LoginsResult["logins"]) => [
    name,
    num(a.requests),
    JSON.stringify(a.statuses),
    num(a.perSec, 2),
    `${num(a.latencyMs.p50)} / ${num(a.latencyMs.p99)} / ${num(a.latencyMs.max)}`,
    `${num(a.serverCpuPct)} / ${num(a.clientCpuPct)}`,
    room(a.room),
    `${num(a.room.delivered)} of ${num(a.room.expected)}`,
  ];
  return [
    "## S4 sign-up and login at the default hash cost",
    "",
    `Our server at PBKDF2_ITERATIONS=600000. ${
      num(r.sizes["s4.accounts"] as number)
    } sign-ups, then as many logins, ${
      num(r.sizes["s4.concurrency"] as number)
    } at a time, while a busy room (${num(x.members)} sockets, ${num(x.roomRate)} msg/s) runs.`,
    "",
    table(
      [
        "phase",
        "requests",
        "statuses",
        "requests/s",
        "request p50 / p99 / max ms",
        "server / client CPU %",
        "room delivery p50 / p99 / max ms",
        "room delivered",
      ],
      [
        [
          "busy room alone",
          "–",
          "–",
          "–",
          "–",
          `${num(x.baseline.serverCpuPct)} / ${num(x.baseline.clientCpuPct)}`,
          room(x.baseline),
          `${num(x.baseline.delivered)} of ${num(x.baseline.expected)}`,
        ],
        auth("sign-ups", x.signUps),
        auth("logins", x.logins),
      ],
    ),
    "",
  ].join("\n");
}

function s5Section(r: RunResults): string {
  const rows = (Object.keys(r.s5) as ("sqlite" | "kv")[]).flatMap((store) => {
    const x = ok(r.s5[store]) as HistoryResult | undefined;
    if (!x) return [];
    return [[
      store === "sqlite" ? "SQLite" : "Deno KV",
      num(r.sizes["s5.messages"] as number),
      x.seedMs === undefined ? "–" : num(x.seedMs / 1000, 1),
      num(x.requests),
      num(x.latencyMs.p50, 1),
      num(x.latencyMs.p90, 1),
      num(x.latencyMs.p99, 1),
      num(x.latencyMs.max, 1),
      num(x.perSec),
      num(x.serverCpuUsPerRequest),
      num(x.failures),
    ]];
  });
  return [
    "## S5 history pages",
    "",
    `One room of ${
      num(r.sizes["s5.messages"] as number)
    } messages, seeded straight into each store; \`GET /api/v1/rooms/:room/messages?before=<random seq>&limit=${
      num(r.sizes["s5.limit"] as number)
    }\`, ${num(r.sizes["s5.concurrency"] as number)} at a time, after ${
      num(r.sizes["s5.warmup"] as number)
    } warm-up requests.`,
    "",
    table(
      [
        "store",
        "messages",
        "seed s",
        "requests",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "requests/s",
        "server µs/request",
        "failures",
      ],
      rows,
    ),
    "",
    ...failures(r.s5),
  ].join("\n");
}

function microSection(r: RunResults): string {
  if (r.micro === undefined) return "";
  if (isFailure(r.micro)) {
    return `## Micro-benchmarks\n\nDid not run: ${r.micro.error.split("\n")[0]}\n`;
  }
  const fmt = (
    ns: number,
  ) => (ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
    ? `${(ns / 1e3).toFixed(2)} µs`
    : `${ns.toFixed(0)} ns`);
  return [
    "## Micro-benchmarks (`deno task bench:micro`)",
    "",
    table(
      ["file", "benchmark", "avg", "p99"],
      r.micro.map((m) => [m.file, m.name, fmt(m.avgNs), fmt(m.p99Ns)]),
    ),
    "",
  ].join("\n");
}

/** The share of a profile's busy time under Deno's own `WebSocket.send`, in percent. */
export function sendShare(p: ProfileResult): number {
  return p.categories.find((c) => c.name === "Deno's WebSocket send")?.pct ?? 0;
}

function sendSentence(id: ServerId, p: ProfileResult): string {
  const share = sendShare(p);
  const at = (us: number | null | undefined, rate: string) =>
    us == null
      ? ""
      : `${num((share / 100) * us, 2)} of its ${num(us, 3)} µs per delivery at ${rate}`;
  const parts = [
    at(p.usPerDelivery?.measure, "30 msg/s"),
    at(p.usPerDelivery?.load, "the load point"),
  ].filter(Boolean);
  return `- ${LABELS[id]}: ${
    num(share, 1)
  } % of the busy main-thread time is inside Deno's \`WebSocket.send\`${
    parts.length ? ` (≈ ${parts.join("; ≈ ")})` : ""
  }.`;
}

function profileSection(r: RunResults): string {
  if (r.profile === undefined) return "";
  return Object.entries(r.profile).map(([scenario, byServer]) => {
    if (!byServer) return "";
    const ids = Object.keys(byServer) as ServerId[];
    const good = ids.flatMap((id) => {
      const p = ok(byServer[id]);
      return p ? [[id, p] as const] : [];
    });
    const categories = good[0]?.[1].categories.map((c) => c.name) ?? [];
    const perServer = good.map(([id, p]) =>
      [
        `### ${LABELS[id]}`,
        "",
        `${num(p.totalMs)} ms busy, ${num(p.idlePct, 1)} % idle. Profile: \`${p.file}\`.`,
        "",
        "<details><summary>By self time</summary>\n",
        table(
          ["self %", "total %", "function", "where"],
          p.topSelf.map((
            e,
          ) => [num(e.selfPct, 1), num(e.totalPct, 1), `\`${e.name}\``, e.location || " "]),
        ),
        "\n</details>",
        "",
        "<details><summary>By inclusive time</summary>\n",
        table(
          ["total %", "self %", "function", "where"],
          p.topTotal.map((
            e,
          ) => [num(e.totalPct, 1), num(e.selfPct, 1), `\`${e.name}\``, e.location || " "]),
        ),
        "\n</details>",
        "",
      ].join("\n")
    );
    return [
      `## CPU profiles under ${scenario} (\`--profile=${scenario}\`)`,
      "",
      `\`deno run --cpu-prof\` over a separate ${scenario} run on each server (${
        scenario === "S1" ? "the 30 msg/s measure and the load point, no ramp" : "the whole job"
      }), start to exit. Shares are of the main thread's busy samples; time in a synchronous op or built-in counts to the JavaScript that called it, \`(program)\` is native work outside JavaScript (the runtime's event loop, I/O, async ops), and anything under the runtime's \`WebSocket.send\` counts as Deno's own send whoever called it (\`profile_summary.ts\`, \`categorise\`). The process's CPU from \`/proc\` also counts its other threads, which the profile does not see.`,
      "",
      table(
        ["where the time goes", ...good.map(([id]) => LABELS[id])],
        categories.map((name) => [
          name,
          ...good.map(([, p]) => num(p.categories.find((c) => c.name === name)?.pct, 1)),
        ]),
      ),
      "",
      ...(scenario === "S1" ? good.map(([id, p]) => sendSentence(id, p)) : []),
      "",
      ...failures(byServer),
      "",
      ...perServer,
    ].join("\n");
  }).join("\n");
}

/**
 * What other benchmark runs contribute to RESULTS.md: S6 (`deno task
 * bench:sockets`, its own run) and the memory breakdown (`deno task
 * bench:memory`), each from its JSON file.
 */
export interface ReportExtras {
  /** S6's targets and where its report is. */
  readonly sockets?: {
    readonly targets: readonly TargetRow[];
    readonly date: string;
    readonly report: string;
    readonly summary: readonly string[];
  };
  /** The memory breakdown's summary lines and where its report is. */
  readonly memory?: {
    readonly date: string;
    readonly report: string;
    readonly summary: readonly string[];
  };
}

function extrasSection(extras: ReportExtras): string {
  const out: string[] = [];
  if (extras.sockets) {
    out.push(
      "## S6 as many sockets as the machine allows",
      "",
      `From its own run (\`deno task bench:sockets\`, ${extras.sockets.date}); every figure in [${extras.sockets.report}](${extras.sockets.report}).`,
      "",
      ...extras.sockets.summary,
      "",
    );
  }
  if (extras.memory) {
    out.push(
      "## Memory per socket: what is ours",
      "",
      `From its own run (\`deno task bench:memory\`, ${extras.memory.date}); the method and every figure in [${extras.memory.report}](${extras.memory.report}).`,
      "",
      ...extras.memory.summary,
      "",
    );
  }
  return out.join("\n");
}

/** Renders RESULTS.md. */
export function renderReport(r: RunResults, extras: ReportExtras = {}): string {
  const issue = [...issueTargets(r), ...(extras.sockets?.targets ?? [])];
  const earlier = earlierTargets(r);
  const all = [...issue, ...earlier];
  const met = all.filter((t) => t.verdict === "met").length;
  const measured = all.filter((t) => t.verdict !== "not measured").length;
  const overrides = Object.entries(r.overrides);
  return [
    "# Benchmark results",
    "",
    quickNote(r.quick),
    headerTable(r, [
      [
        "sizes overridden",
        overrides.length ? overrides.map(([k, v]) => `${k}=${v}`).join(", ") : "none",
      ],
    ]),
    "",
    `Every server runs as its own process on 127.0.0.1 and is driven by one Node load generator (\`bench/peers/loadgen.mjs\`) over ${
      r.client === "ws"
        ? "npm `ws` client sockets (`--client=ws`)"
        : "raw WebSocket sockets (`--client=raw`, the default: a fixed upgrade request and a minimal frame reader that finds each message's timestamp without decoding it, several times cheaper per frame than npm `ws`, so the client saturates after the server)"
    }; Socket.IO is spoken as engine.io v4 text frames, so no client library's cost counts.` +
    " Server CPU is utime+stime from `/proc/<pid>/stat`, memory is VmRSS from `/proc/<pid>/status`, latency is measured from a send timestamp carried in each message's text. Our server runs `src/main.ts` (`deno task start`) with its defaults (SQLite store; one isolate, so the in-process bus) except a temp database, PBKDF2_ITERATIONS=1000 outside S4, rate limits lifted (message, login and sign-up), MAX_SOCKETS_PER_ADDRESS=0 and LOG_LEVEL=error.",
    "",
    `## Targets (${met} of ${measured} measured targets met)`,
    "",
    `This issue's targets (Bun as the bar; S6${
      extras.sockets
        ? ` from the \`bench:sockets\` run of ${extras.sockets.date}`
        : " not run: `deno task bench:sockets`"
    }):`,
    "",
    targetTable(issue),
    "",
    "Where the default client's CPU beyond the floor's at 30 msg/s goes, part by part and measured on both servers at once: [`OVERHEAD.md`](OVERHEAD.md) (`deno task bench:overhead`); why it is not closed: [`HISTORY.md`](HISTORY.md).",
    "",
    "The earlier targets, kept to show nothing regressed:",
    "",
    targetTable(earlier),
    "",
    s1Section(r),
    "",
    s2Section(r),
    "",
    s3Section(r),
    "",
    s4Section(r),
    "",
    s5Section(r),
    "",
    microSection(r),
    "",
    profileSection(r),
    "",
    extrasSection(extras),
    "",
    r.notes.length ? ["## Notes", "", ...r.notes.map((n) => `- ${n}`), ""].join("\n") : "",
    "## How to run",
    "",
    "```sh",
    "deno task bench                      # every scenario on every server, full sizes",
    "deno task bench --quick              # reduced sizes",
    "deno task bench --only=S1,S3 --servers=ours,floor",
    "deno task bench --s1-subscribers=500 --s2-rooms=200   # any size, or BENCH_S1_SUBSCRIBERS=500",
    "deno task bench --only=S1 --servers=ours,ours-batch,floor,bun,socketio",
    "deno task bench --only=none --profile=S1 --no-micro   # CPU profiles of ours and the floor",
    "deno task bench:sockets              # S6: 19,000 sockets on one process, 55,000 on three (Redis)",
    "deno task bench:memory               # what of the per-socket memory is ours",
    "deno task bench:micro                # deno bench micro-benchmarks only",
    "```",
    "",
  ].join("\n").replace(/\n{3,}/g, "\n\n");
}
