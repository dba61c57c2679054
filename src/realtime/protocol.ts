/**
 * The inbound wire protocol: every client frame is parsed here into a typed
 * command or the close reason it earns. Nothing past this module sees `unknown`.
 *
 * @module
 */
import { CLOSE, type CloseReason } from "./close_codes.ts";

/** The largest inbound frame, in bytes. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** The most characters (code points) of a message's text. */
export const MAX_TEXT_CHARS = 4000;

/** A parsed client frame. */
export type ClientFrame =
  | { readonly kind: "send"; readonly text: string; readonly nonce?: string }
  | { readonly kind: "reject"; readonly close: CloseReason };

const NONCE = /^[\x20-\x7e]{1,64}$/;
const encoder = new TextEncoder();

/** The UTF-8 size of a string, computed only when its length leaves it in doubt. */
function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).byteLength > limit;
}

function codePointsOver(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
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
  if (typeof text !== "string" || !text.isWellFormed()) return reject(CLOSE.BAD_MESSAGE);
  if (text.trim().length === 0) return reject(CLOSE.BAD_MESSAGE);
  if (codePointsOver(text, MAX_TEXT_CHARS)) return reject(CLOSE.TOO_BIG);
  if (nonce === undefined) return { kind: "send", text };
  if (typeof nonce !== "string" || !NONCE.test(nonce)) return reject(CLOSE.BAD_MESSAGE);
  return { kind: "send", text, nonce };
}
