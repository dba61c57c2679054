// @ts-self-types="./message_text.d.ts"
/**
 * The rules of what a client sends (CONTRACT §3): a message's `text` and its
 * optional `nonce`. The server parses frames with them; clients check with
 * them before sending.
 *
 * @module
 */
import { MAX_NONCE_CHARS, MAX_TEXT_CHARS } from "./limits.js";

/**
 * Why a message's text would be refused: `MALFORMED` (not a string, or lone
 * surrogates), `BLANK` (empty after trimming) or `TOO_LONG` (over
 * {@linkcode MAX_TEXT_CHARS} code points). The server closes with 1007
 * `BAD_MESSAGE` for the first two and 1009 `TOO_BIG` for the last.
 * @typedef {"MALFORMED" | "BLANK" | "TOO_LONG"} TextFault
 */

const NONCE = new RegExp(`^[\\x20-\\x7e]{1,${MAX_NONCE_CHARS}}$`);

/**
 * Whether a string has more than `limit` code points, counting only when its
 * UTF-16 length leaves it in doubt.
 *
 * @param {string} text
 * @param {number} limit
 * @returns {boolean}
 */
export function codePointsOver(text, limit) {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
}

/**
 * Checks a message's `text`: a well-formed string, non-empty after trimming,
 * at most {@linkcode MAX_TEXT_CHARS} code points.
 *
 * @param {unknown} text
 * @returns {TextFault | undefined} why it would be refused, or `undefined` when it is fine
 */
export function textFault(text) {
  if (typeof text !== "string" || !text.isWellFormed()) return "MALFORMED";
  if (text.trim().length === 0) return "BLANK";
  if (codePointsOver(text, MAX_TEXT_CHARS)) return "TOO_LONG";
  return undefined;
}

/**
 * Whether a value is a valid `nonce`: a string of 1 to
 * {@linkcode MAX_NONCE_CHARS} printable ASCII characters.
 *
 * @param {unknown} nonce
 * @returns {nonce is string}
 */
export function isValidNonce(nonce) {
  return typeof nonce === "string" && NONCE.test(nonce);
}
