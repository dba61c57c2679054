/**
 * Micro-benchmarks of the inbound frame parser, the first step of every message.
 *
 * @module
 */
import { parseClientFrame } from "../src/realtime/protocol.ts";

const typical = JSON.stringify({
  text: "hello everyone, how is it going today?",
  nonce: "c-1732540000-42",
});
const plain = JSON.stringify({ text: "hello everyone, how is it going today?" });
const longest = JSON.stringify({ text: "é".repeat(3999) + "!" });
const notJson = '{"text": "hello';

let sink: unknown;

Deno.bench("parseClientFrame: typical frame with nonce", {
  group: "parseClientFrame",
  baseline: true,
}, () => {
  sink = parseClientFrame(typical);
});

Deno.bench("parseClientFrame: typical frame without nonce", { group: "parseClientFrame" }, () => {
  sink = parseClientFrame(plain);
});

Deno.bench("parseClientFrame: 4,000-character text", { group: "parseClientFrame" }, () => {
  sink = parseClientFrame(longest);
});

Deno.bench("parseClientFrame: not JSON (rejected)", { group: "parseClientFrame" }, () => {
  sink = parseClientFrame(notJson);
});

globalThis.addEventListener("unload", () => void sink);
