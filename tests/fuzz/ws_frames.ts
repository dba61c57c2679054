/**
 * Client frames for room sockets, each with the close the contract expects:
 * valid messages, texts at 4,000/4,001 code points, frames at 16 KiB ± 1, bad
 * JSON, wrong types, bad nonces, control characters, binary and invalid UTF-8.
 *
 * @module
 */
import type { Rng } from "./random.ts";
import { EDGE_STRINGS, randomString, randomUnicode } from "./strings.ts";

/** The server's frame limit and text limit (contract §3). */
export const FRAME_LIMIT = 16 * 1024;
/** The most code points of a message's text. */
export const TEXT_LIMIT = 4000;

/** What a frame should do to an authenticated connection. */
export type FrameEffect =
  /** Stored and echoed back (matched by `nonce` when it has one). */
  | { readonly kind: "ok"; readonly nonce?: string }
  /** The server closes with this code. */
  | { readonly kind: "close"; readonly code: number }
  /** The server (or Deno) closes with some code. */
  | { readonly kind: "any-close" }
  /** Nothing: a ping. */
  | { readonly kind: "none" };

/** One planned client frame. */
export interface FramePlan {
  readonly label: string;
  readonly data: string | Uint8Array;
  /** `text` frames carry a string, or raw bytes when testing invalid UTF-8. */
  readonly opcode: "text" | "binary" | "ping";
  readonly effect: FrameEffect;
}

const encoder = new TextEncoder();
let nonceCounter = 0;

/** A fresh printable-ASCII nonce. */
export function freshNonce(rng: Rng): string {
  return `n${(++nonceCounter).toString(36)}-${
    rng.chars(rng.int(1, 20), 0x21, 0x7e).replace(/"/g, "'")
  }`.slice(0, 64);
}

function wellFormedText(rng: Rng): string {
  const candidate = rng.chance(0.5) ? randomString(rng) : randomUnicode(rng, rng.int(1, 200));
  const fixed = candidate.toWellFormed();
  return fixed.trim().length > 0 ? fixed : "hello";
}

function textOf(codePoints: number, rng: Rng): string {
  const unit = rng.pick(["a", "\u00e9", "\u{1f4a9}", "\u4e2d"]);
  return unit.repeat(codePoints);
}

const ok = (nonce?: string): FrameEffect => ({ kind: "ok", nonce });
const close = (code: number): FrameEffect => ({ kind: "close", code });

/** A random client frame with its expected effect for an authenticated user. */
export function randomFrame(rng: Rng): FramePlan {
  const json = (label: string, value: unknown, effect: FrameEffect): FramePlan => ({
    label,
    data: JSON.stringify(value),
    opcode: "text",
    effect,
  });
  const text = (label: string, data: string, effect: FrameEffect): FramePlan => ({
    label,
    data,
    opcode: "text",
    effect,
  });
  return rng.weighted<() => FramePlan>([
    [12, () => {
      const nonce = freshNonce(rng);
      return json("valid", { text: wellFormedText(rng), nonce }, ok(nonce));
    }],
    [2, () => json("valid without nonce", { text: wellFormedText(rng) }, ok())],
    [2, () => {
      const nonce = freshNonce(rng);
      return json(
        "spoofed fields",
        { text: "hi", nonce, sender: { id: 1, username: "admin" }, id: "x", seq: 1, room: "other" },
        ok(nonce),
      );
    }],
    [2, () => {
      const nonce = freshNonce(rng);
      const body = rng.pick([
        "a\u0000b",
        "\u0007",
        "x\u001b[31mred",
        "\u202e",
        "tab\there",
        "\u200b",
        "e\u0301",
      ]);
      return json("control characters", { text: body, nonce }, ok(nonce));
    }],
    [3, () => {
      const over = rng.chance(0.5);
      const nonce = freshNonce(rng);
      const body = textOf(TEXT_LIMIT + (over ? 1 : 0), rng);
      return json(
        `text of ${TEXT_LIMIT + (over ? 1 : 0)} code points`,
        { text: body, nonce },
        over ? close(1009) : ok(nonce),
      );
    }],
    [2, () => {
      const size = FRAME_LIMIT + rng.pick([-1, 0, 1]);
      const nonce = freshNonce(rng);
      const head = JSON.stringify({ text: "padded", nonce, pad: "" });
      const data = head.slice(0, -2) + "x".repeat(size - head.length) + '"}';
      return text(`frame of ${size} bytes`, data, size > FRAME_LIMIT ? close(1009) : ok(nonce));
    }],
    [1, () => {
      const size = rng.pick([64 * 1024, 512 * 1024, 2 * 1024 * 1024]);
      return text(`huge frame ${size}`, JSON.stringify({ text: "x".repeat(size) }), close(1009));
    }],
    [3, () =>
      text(
        "bad JSON",
        rng.pick([
          "",
          "{",
          "{text:1}",
          '{"text":"a"',
          "nope",
          "\u0000",
          '{"text":"a"}x',
          "{'text':'a'}",
          "[",
          "\ufeff{}",
        ]),
        close(1007),
      )],
    [
      2,
      () =>
        text(
          "not an object",
          rng.pick(["[]", '["text"]', '"text"', "1", "null", "true", "[{}]"]),
          close(1007),
        ),
    ],
    [3, () => {
      const value = rng.pick<unknown>([
        undefined,
        1,
        null,
        true,
        [],
        ["a"],
        { a: 1 },
        "",
        "   ",
        "\n\t",
        "\ufeff",
        "\u3000",
      ]);
      return json(
        `text ${JSON.stringify(value) ?? "missing"}`,
        value === undefined ? { nonce: "a" } : { text: value },
        close(1007),
      );
    }],
    [2, () => {
      const lone = rng.pick(["\ud800", "a\udc00", "\udfff\ud800", "x\ud83d"]);
      return json("lone surrogate text", { text: lone }, close(1007));
    }],
    [3, () => {
      const nonce = rng.pick<unknown>([
        "",
        "x".repeat(65),
        "\u0000",
        "a\nb",
        "\u00e9",
        "\u{1f4a9}",
        1,
        null,
        [],
        {},
        true,
      ]);
      return json(
        `bad nonce ${JSON.stringify(nonce)?.slice(0, 20)}`,
        { text: "hi", nonce },
        close(1007),
      );
    }],
    [1, () => {
      const unique = freshNonce(rng);
      const nonce = unique + "~".repeat(64 - unique.length);
      return json("nonce of 64", { text: "hi", nonce }, ok(nonce));
    }],
    [2, () => {
      const body = rng.pick(EDGE_STRINGS);
      const nonce = freshNonce(rng);
      const accepted = body.isWellFormed() && body.trim().length > 0;
      return json("edge text", { text: body, nonce }, accepted ? ok(nonce) : close(1007));
    }],
    [2, () => ({
      label: "binary",
      data: rng.pick([
        new Uint8Array(0),
        encoder.encode('{"text":"hi"}'),
        rng.bytes(rng.int(1, 300)),
      ]),
      opcode: "binary",
      effect: close(1003),
    })],
    [2, () => ({
      label: "invalid UTF-8 text",
      data: new Uint8Array([
        0x7b,
        0x22,
        0x74,
        0x22,
        0x3a,
        0x22,
        ...rng.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]]),
        0x22,
        0x7d,
      ]),
      opcode: "text",
      effect: { kind: "any-close" },
    })],
    [
      1,
      () => ({
        label: "ping",
        data: rng.bytes(rng.int(0, 125)),
        opcode: "ping",
        effect: { kind: "none" },
      }),
    ],
  ])();
}

/** The expected effect of `plan` for an anonymous reader: any data frame closes with 1008. */
export function anonymousEffect(plan: FramePlan): FrameEffect {
  if (plan.opcode === "ping") return { kind: "none" };
  if (plan.label === "invalid UTF-8 text") return { kind: "any-close" };
  return close(1008);
}
