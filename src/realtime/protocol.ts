/**
 * The inbound wire protocol: every client frame is parsed here into a typed
 * command or the close reason it earns. Nothing past this module sees `unknown`.
 * The rules and limits are the contract's (`src/contract/`).
 *
 * v1 ({@linkcode parseClientFrame}) knows one frame, `{"text","nonce"?}`, and
 * closes on a bad text. v2 ({@linkcode parseClientFrameV2}) knows every frame
 * of CONTRACT §6; a frame of the right shape whose text breaks the rules is
 * passed on, to be answered with an `error` event, and only a frame of the
 * wrong shape closes.
 *
 * @module
 */
import {
  CLOSE,
  type CloseReason,
  isValidNonce,
  MAX_FRAME_BYTES,
  textFault,
} from "../contract/mod.js";

/** A parsed client frame. */
export type ClientFrame =
  | { readonly kind: "send"; readonly text: string; readonly nonce?: string }
  | { readonly kind: "reject"; readonly close: CloseReason };

const encoder = new TextEncoder();

/** The UTF-8 size of a string, computed only when its length leaves it in doubt. */
function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).byteLength > limit;
}

const reject = (close: CloseReason): { kind: "reject"; close: CloseReason } => ({
  kind: "reject",
  close,
});

/** A frame's JSON object, or the close it earns (binary, too big, not a JSON object). */
function readObject(
  data: unknown,
): { readonly value: Record<string, unknown> } | { readonly close: CloseReason } {
  if (typeof data !== "string") return { close: CLOSE.BINARY_NOT_SUPPORTED };
  if (exceedsBytes(data, MAX_FRAME_BYTES)) return { close: CLOSE.TOO_BIG };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { close: CLOSE.BAD_MESSAGE };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { close: CLOSE.BAD_MESSAGE };
  }
  return { value: value as Record<string, unknown> };
}

/** Parses one v1 frame's data as the WebSocket `message` event delivers it. */
export function parseClientFrame(data: unknown): ClientFrame {
  const read = readObject(data);
  if ("close" in read) return reject(read.close);
  const { text, nonce } = read.value;
  if (typeof text !== "string") return reject(CLOSE.BAD_MESSAGE);
  const fault = textFault(text);
  if (fault !== undefined) return reject(fault === "TOO_LONG" ? CLOSE.TOO_BIG : CLOSE.BAD_MESSAGE);
  if (nonce === undefined) return { kind: "send", text };
  if (!isValidNonce(nonce)) return reject(CLOSE.BAD_MESSAGE);
  return { kind: "send", text, nonce };
}

/** A parsed v2 client frame (CONTRACT §6); `text` is not yet checked against the text rules. */
export type ClientFrameV2 =
  | {
    readonly kind: "send";
    readonly text: string;
    readonly nonce?: string;
    readonly replyTo?: number;
  }
  | {
    readonly kind: "edit";
    readonly target: number;
    readonly text: string;
    readonly nonce?: string;
  }
  | { readonly kind: "delete"; readonly target: number; readonly nonce?: string }
  | { readonly kind: "typing" }
  | { readonly kind: "read"; readonly seq: number }
  | { readonly kind: "auth"; readonly token: string }
  | { readonly kind: "reject"; readonly close: CloseReason };

const isSeq = (value: unknown, min: number): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min;

/**
 * Parses one v2 frame. A missing or unknown `type`, a field missing or of the
 * wrong type, or a bad `nonce` closes with 1007 `BAD_MESSAGE`; a text that is
 * blank, too long or malformed is left for the message service to answer.
 */
export function parseClientFrameV2(data: unknown): ClientFrameV2 {
  const read = readObject(data);
  if ("close" in read) return reject(read.close);
  const { type = "message", text, nonce, target, replyTo, seq, token } = read.value;
  if (nonce !== undefined && !isValidNonce(nonce)) return reject(CLOSE.BAD_MESSAGE);
  const withNonce = <F extends object>(frame: F): F & { nonce?: string } =>
    nonce === undefined ? frame : { ...frame, nonce: nonce as string };
  switch (type) {
    case "message":
      if (typeof text !== "string") break;
      if (replyTo === undefined) return withNonce({ kind: "send", text });
      if (!isSeq(replyTo, 1)) break;
      return withNonce({ kind: "send", text, replyTo });
    case "edit":
      if (typeof text !== "string" || !isSeq(target, 1)) break;
      return withNonce({ kind: "edit", target, text });
    case "delete":
      if (!isSeq(target, 1)) break;
      return withNonce({ kind: "delete", target });
    case "typing":
      return { kind: "typing" };
    case "read":
      if (!isSeq(seq, 0)) break;
      return { kind: "read", seq };
    case "auth":
      if (typeof token !== "string" || token.length === 0) break;
      return { kind: "auth", token };
  }
  return reject(CLOSE.BAD_MESSAGE);
}
