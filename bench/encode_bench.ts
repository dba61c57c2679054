/**
 * Micro-benchmarks of encoding a delivery: one `JSON.stringify([message])` per
 * message (default clients) or one per batch (`?batch=1` clients).
 *
 * @module
 */
import { toChatMessage } from "../src/model.ts";

const message = toChatMessage({
  id: crypto.randomUUID(),
  room: "lobby",
  sender: { id: 12, username: "alice" },
  text: "hello everyone, how is it going today?",
  nonce: "c-1732540000-42",
  createdAtMs: Date.now(),
}, 42);
const ten = Array.from({ length: 10 }, (_, i) => ({ ...message, seq: 42 + i }));

let sink: unknown;

Deno.bench("encode once: JSON.stringify([message])", { group: "encode", baseline: true }, () => {
  sink = JSON.stringify([message]);
});

Deno.bench("encode a batch of 10: JSON.stringify(messages)", { group: "encode" }, () => {
  sink = JSON.stringify(ten);
});

Deno.bench("build the wire message: toChatMessage()", { group: "encode" }, () => {
  sink = toChatMessage({
    id: message.id,
    room: "lobby",
    sender: message.sender,
    text: message.text,
    nonce: message.nonce,
    createdAtMs: 1_732_540_000_000,
  }, 42);
});

globalThis.addEventListener("unload", () => void sink);
