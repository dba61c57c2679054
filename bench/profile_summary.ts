/**
 * Summarises a V8 `.cpuprofile` (as `deno run --cpu-prof` writes it): the
 * functions with the most self time and the most inclusive time, as shares of
 * the busy (non-idle) samples.
 *
 * @module
 */
import type { ProfileEntry, ProfileResult } from "./results.ts";

/** A stack frame as the profile names it. */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The parts of a `.cpuprofile` this module reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  if (!url) return "";
  const src = url.indexOf("/src/");
  if (src >= 0 && url.startsWith("file://")) return url.slice(src + 1);
  const npm = url.indexOf("/npm/");
  if (npm >= 0) return url.slice(npm + 1).replace(/^npm\/registry\.npmjs\.org\//, "npm:");
  return url.replace(/^ext:/, "ext:");
}

function keyOf(frame: CallFrame): { key: string; name: string; location: string } {
  const name = frame.functionName || "(anonymous)";
  const location = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
  return { key: `${name}@${location}`, name, location };
}

/** Where a busy sample's time went, by the code that spent it. */
export const CATEGORIES = [
  "Deno's WebSocket send",
  "Deno's WebSocket receive and events",
  "Deno's event dispatch (EventTarget)",
  "Deno's HTTP server",
  "Deno runtime, other",
  "application code",
  "npm packages",
  "(program): native, outside JavaScript",
  "(garbage collector)",
  "other",
] as const;

/** One of {@linkcode CATEGORIES}. */
export type Category = (typeof CATEGORIES)[number];

/**
 * The category of a sample, from its stack (leaf first): anything under the
 * runtime's `WebSocket.send` is Deno's own send, whoever called it; otherwise
 * the nearest frame with a script decides (a built-in such as `JSON.stringify`
 * counts to the code that called it).
 */
export function categorise(stack: readonly CallFrame[]): Category {
  const leaf = stack[0];
  if (!leaf) return "other";
  if (leaf.functionName === "(garbage collector)") return "(garbage collector)";
  if (leaf.functionName === "(program)") return "(program): native, outside JavaScript";
  for (const frame of stack) {
    if (frame.url.startsWith("ext:deno_websocket") && frame.functionName === "send") {
      return "Deno's WebSocket send";
    }
  }
  const nearest = stack.find((frame) => frame.url !== "");
  if (!nearest) return "other";
  const url = nearest.url;
  if (url.startsWith("ext:deno_websocket")) return "Deno's WebSocket receive and events";
  if (url.startsWith("ext:deno_http")) return "Deno's HTTP server";
  if (url.startsWith("ext:deno_web/02_event")) return "Deno's event dispatch (EventTarget)";
  if (url.startsWith("ext:") || url.startsWith("node:")) return "Deno runtime, other";
  if (url.includes("/npm/") || url.includes("node_modules")) return "npm packages";
  if (url.startsWith("file://")) return "application code";
  return "other";
}

/**
 * Summarises a profile.
 *
 * @param top how many functions to list in each table
 */
export function summariseProfile(profile: CpuProfile, file: string, top = 25): ProfileResult {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const names = new Map<string, { name: string; location: string }>();
  const byCategory = new Map<Category, number>();
  let busy = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; charge the following interval to it.
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    if (node.callFrame.functionName === "(idle)") {
      idle += dt;
      continue;
    }
    busy += dt;
    const leaf = keyOf(node.callFrame);
    names.set(leaf.key, leaf);
    self.set(leaf.key, (self.get(leaf.key) ?? 0) + dt);
    const seen = new Set<string>();
    const stack: CallFrame[] = [];
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === "(root)") break;
      stack.push(frame);
      const k = keyOf(frame);
      if (seen.has(k.key)) continue;
      seen.add(k.key);
      names.set(k.key, k);
      total.set(k.key, (total.get(k.key) ?? 0) + dt);
    }
    const category = categorise(stack);
    byCategory.set(category, (byCategory.get(category) ?? 0) + dt);
  }
  const pct = (us: number) => (busy > 0 ? Math.round((us / busy) * 1000) / 10 : 0);
  const entry = (key: string): ProfileEntry => ({
    ...names.get(key)!,
    selfPct: pct(self.get(key) ?? 0),
    totalPct: pct(total.get(key) ?? 0),
  });
  const rank = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key]) => entry(key));
  return {
    file,
    totalMs: Math.round(busy / 1000),
    idlePct: busy + idle > 0 ? Math.round((idle / (busy + idle)) * 1000) / 10 : 0,
    topSelf: rank(self),
    topTotal: rank(total),
    categories: CATEGORIES.map((name) => ({ name, pct: pct(byCategory.get(name) ?? 0) })),
  };
}

if (import.meta.main) {
  const [file, top] = Deno.args;
  if (!file) {
    console.error("Usage: deno run --allow-read bench/profile_summary.ts <file.cpuprofile> [top]");
    Deno.exit(2);
  }
  const summary = summariseProfile(
    JSON.parse(await Deno.readTextFile(file)),
    file,
    Number(top ?? 25),
  );
  console.log(`busy ${summary.totalMs} ms, idle ${summary.idlePct}%`);
  console.log("\n  pct  category");
  for (const c of summary.categories) console.log(`${c.pct.toFixed(1).padStart(5)}  ${c.name}`);
  console.log("\nself%  total%  function");
  for (const e of summary.topSelf) {
    console.log(
      `${e.selfPct.toFixed(1).padStart(5)}  ${
        e.totalPct.toFixed(1).padStart(6)
      }  ${e.name} ${e.location}`,
    );
  }
  console.log("\ntotal%  self%  function");
  for (const e of summary.topTotal) {
    console.log(
      `${e.totalPct.toFixed(1).padStart(6)}  ${
        e.selfPct.toFixed(1).padStart(5)
      }  ${e.name} ${e.location}`,
    );
  }
}
