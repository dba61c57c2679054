/**
 * The inbound wire protocol: every client frame is parsed here into a typed
 * command or the close reason it earns. Nothing past this module sees `unknown`.
 * The rules and limits are the contract's (`src/contract/`).
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

const reject = (close: CloseReason): ClientFrame => ({ kind: "reject", close });

/** Parses one frame's data as the WebSocket `message` event delivers it. */
export function parseClientFrame(data: unknown): ClientFrame {
  if (typeof data !== "string") return reject(CLOSE.BINARY_NOT_SUPPORTED);
  if (exceedsBytes(data, MAX_FRAME_BYTES)) return reject(CLOSE.TOO_BIG);
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return reject(CLOSE.BAD_MESSAGE);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return reject(CLOSE.BAD_MESSAGE);
  }
  const { text, nonce } = value as { text?: unknown; nonce?: unknown };
  if (typeof text !== "string") return reject(CLOSE.BAD_MESSAGE);
  const fault = textFault(text);
  if (fault !== undefined) return reject(fault === "TOO_LONG" ? CLOSE.TOO_BIG : CLOSE.BAD_MESSAGE);
  if (nonce === undefined) return { kind: "send", text };
  if (!isValidNonce(nonce)) return reject(CLOSE.BAD_MESSAGE);
  return { kind: "send", text, nonce };
}
