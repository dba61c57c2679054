/**
 * The memory breakdown's results (`deno task bench:memory`) and their report,
 * `bench/MEMORY.md`: per idle socket, RSS split into V8 heap, external and
 * native memory, and the heap's growth by kind of object, ours beside the
 * bare Deno floor; the difference is what our server adds.
 *
 * @module
 */
import type { KindDelta } from "./heap_snapshot.ts";
import { headerTable, num, ok, table } from "./report_format.ts";
import { type Failure, isFailure } from "./results.ts";

/** One server's per-socket memory. */
export interface ServerMemory {
  kind: "ours" | "floor";
  sockets: number;
  rooms: number;
  /** Growth per socket, in bytes. */
  perSocket: {
    rss: number;
    heapUsed: number;
    external: number;
    /** RSS less V8's committed heap and external memory. */
    native: number;
    /** V8 heap committed but unused after a full GC. */
    heapUnused: number;
    /** The heap snapshot's own total (self sizes). */
    snapshot: number;
  };
  before: { rss: number; heapTotal: number; heapUsed: number; external: number };
  after: { rss: number; heapTotal: number; heapUsed: number; external: number };
  /** The heap's growth by kind of object, per socket, largest first. */
  kinds: KindDelta[];
}

/** Everything one `bench:memory` run measured. */
export interface MemoryResults {
  machine: Record<string, string>;
  command: string;
  startedAt: string;
  durationSec: number;
  sockets: number;
  perRoom: number;
  servers: Partial<Record<"ours" | "floor", ServerMemory | Failure>>;
}

const kib = (bytes: number | null | undefined, digits = 2) =>
  bytes === null || bytes === undefined ? "–" : num(bytes / 1024, digits);

/** Who a kind of object belongs to, where its key says (a closure's source); "–" otherwise. */
export function ownerOf(key: string): string {
  if (!key.startsWith("closure ")) return "–";
  if (key.includes(" src/")) return "ours";
  if (key.includes(" bench/")) return "the floor's handler";
  if (key.includes(" ext:")) return "Deno runtime";
  if (key.includes(" npm:")) return "npm package";
  return "–";
}

/**
 * The heap kinds ours has beyond the floor and the floor beyond ours, in
 * bytes per socket: what our server adds to Deno's own, and what it spares.
 */
export function heapDifference(
  ours: ServerMemory,
  floor: ServerMemory,
): { added: number; spared: number; top: { key: string; bytes: number }[] } {
  const floorKinds = new Map(floor.kinds.map((k) => [k.key, k.bytes]));
  const oursKinds = new Map(ours.kinds.map((k) => [k.key, k.bytes]));
  let added = 0;
  let spared = 0;
  const diffs: { key: string; bytes: number }[] = [];
  for (const key of new Set([...oursKinds.keys(), ...floorKinds.keys()])) {
    const d = (oursKinds.get(key) ?? 0) - (floorKinds.get(key) ?? 0);
    if (d > 0) added += d;
    else spared -= d;
    diffs.push({ key, bytes: d });
  }
  return { added, spared, top: diffs.sort((a, b) => b.bytes - a.bytes).slice(0, 5) };
}

/** The lines `RESULTS.md` shows. */
export function memorySummary(r: MemoryResults): string[] {
  const ours = ok(r.servers.ours);
  const floor = ok(r.servers.floor);
  if (!ours || !floor) return ["- The memory breakdown did not run on both servers."];
  const extra = ours.perSocket.rss - floor.perSocket.rss;
  const heap = heapDifference(ours, floor);
  return [
    `- At ${num(ours.sockets)} idle sockets in rooms of ${num(r.perRoom)}: ours ${
      kib(ours.perSocket.rss, 1)
    } KiB RSS per socket, the floor ${
      kib(floor.perSocket.rss, 1)
    } KiB: the floor's share (Deno's own) is ${
      num((floor.perSocket.rss / ours.perSocket.rss) * 100, 0)
    } %, ours ${kib(extra, 1)} KiB.`,
    `- Of ours: V8 heap ${kib(ours.perSocket.heapUsed, 2)} KiB (floor ${
      kib(floor.perSocket.heapUsed, 2)
    }), external ${kib(ours.perSocket.external, 2)} (floor ${
      kib(floor.perSocket.external, 2)
    }), native ${kib(ours.perSocket.native, 2)} (floor ${kib(floor.perSocket.native, 2)}).`,
    `- Our own objects on the heap: ${
      num(heap.added, 0)
    } B per socket more than the floor's (largest: ${
      heap.top.filter((t) => t.bytes > 0).map((t) => `\`${t.key}\` ${num(t.bytes, 0)} B`).join(", ")
    }), and ${
      num(heap.spared, 0)
    } B of the floor's that ours does not have (its \`on…\` handler wrappers); the rest of the heap, and the native memory, is Deno's own per socket.`,
  ];
}

function splitTable(ours: ServerMemory | undefined, floor: ServerMemory | undefined): string {
  const rows: [string, keyof ServerMemory["perSocket"]][] = [
    ["RSS", "rss"],
    ["V8 heap used (after a full GC)", "heapUsed"],
    ["V8 heap committed, unused", "heapUnused"],
    ["external (ArrayBuffers, …)", "external"],
    ["native (RSS − V8 committed heap − external)", "native"],
    ["heap snapshot total (self sizes)", "snapshot"],
  ];
  return table(
    ["per socket, KiB", "ours", "floor", "ours − floor"],
    rows.map(([label, key]) => [
      label,
      kib(ours?.perSocket[key]),
      kib(floor?.perSocket[key]),
      kib(ours && floor ? ours.perSocket[key] - floor.perSocket[key] : undefined),
    ]),
  );
}

function kindsTable(ours: ServerMemory | undefined, floor: ServerMemory | undefined): string {
  const floorKinds = new Map((floor?.kinds ?? []).map((k) => [k.key, k]));
  const oursKinds = new Map((ours?.kinds ?? []).map((k) => [k.key, k]));
  const keys = [...new Set([...oursKinds.keys(), ...floorKinds.keys()])];
  const diff = (key: string) =>
    (oursKinds.get(key)?.bytes ?? 0) - (floorKinds.get(key)?.bytes ?? 0);
  const top = keys.sort((a, b) => Math.abs(diff(b)) - Math.abs(diff(a))).slice(0, 40);
  return table(
    [
      "kind of object",
      "ours: per socket",
      "ours: bytes",
      "floor: per socket",
      "floor: bytes",
      "ours − floor bytes",
      "owner",
    ],
    top.map((key) => [
      `\`${key.replaceAll("|", "\\|")}\``,
      num(oursKinds.get(key)?.count, 2),
      num(oursKinds.get(key)?.bytes, 0),
      num(floorKinds.get(key)?.count, 2),
      num(floorKinds.get(key)?.bytes, 0),
      num(diff(key), 0),
      ownerOf(key),
    ]),
  );
}

function ownTable(name: string, s: ServerMemory): string {
  return [
    `<details><summary>${name}: the 30 largest kinds per socket</summary>\n`,
    table(
      ["kind of object", "per socket", "bytes per socket", "owner"],
      s.kinds.slice(0, 30).map((k) => [
        `\`${k.key.replaceAll("|", "\\|")}\``,
        num(k.count, 2),
        num(k.bytes, 0),
        ownerOf(k.key),
      ]),
    ),
    "\n</details>",
  ].join("\n");
}

/** Renders `MEMORY.md`. */
export function renderMemoryReport(r: MemoryResults): string {
  const ours = ok(r.servers.ours);
  const floor = ok(r.servers.floor);
  return [
    "# Memory per socket: what is ours",
    "",
    headerTable(r),
    "",
    `Method: our server (\`src/main.ts\`, SQLite, defaults as in \`deno task bench\`) and the bare Deno floor (\`bench/peers/deno_floor.ts\`) each run under \`--inspect=127.0.0.1:<port>\`. After a warm-up (100 sockets opened, closed), the run takes a heap snapshot through the inspector (\`HeapProfiler.takeHeapSnapshot\`, which collects garbage first), \`Deno.memoryUsage()\` and VmRSS; then ${
      num(r.sockets)
    } idle anonymous sockets open (rooms of ${
      num(r.perRoom)
    }, as in S2) from client processes on their own loopback addresses, and after 3 s it takes the same again. Every figure is the growth divided by the sockets. The heap is split by kind of object: constructor, plain objects by their property names, closures by function and source line, V8's own kinds (\`hidden system / Context\` is a closure's context, \`array\` the backing stores of objects and arrays). A kind the floor has as well is the runtime's (the WebSocket, its event listeners, the HTTP connection); ours − floor is what our server adds.`,
    "",
    "## RSS per socket, split",
    "",
    splitTable(ours, floor),
    "",
    ...memorySummary(r),
    "",
    "## The heap's growth by kind, ours beside the floor",
    "",
    "The 40 kinds whose per-socket bytes differ most between the two, with objects per socket and bytes per socket (self size).",
    "",
    kindsTable(ours, floor),
    "",
    ...(ours ? [ownTable("ours", ours), ""] : []),
    ...(floor ? [ownTable("floor", floor), ""] : []),
    ...Object.entries(r.servers).flatMap(([k, v]) =>
      isFailure(v) ? [`- ${k}: did not run: ${v.error.split("\n")[0]}`] : []
    ),
    "",
  ].join("\n").replace(/\n{3,}/g, "\n\n");
}
