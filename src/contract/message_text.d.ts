/**
 * The rules of what a client sends (CONTRACT §3): a message's `text` and its
 * optional `nonce`. The server parses frames with them; clients check with
 * them before sending.
 *
 * @module
 */
/**
 * Whether a string has more than `limit` code points, counting only when its
 * UTF-16 length leaves it in doubt.
 *
 * @param {string} text
 * @param {number} limit
 * @returns {boolean}
 */
export function codePointsOver(text: string, limit: number): boolean;
/**
 * Checks a message's `text`: a well-formed string, non-empty after trimming,
 * at most {@linkcode MAX_TEXT_CHARS} code points.
 *
 * @param {unknown} text
 * @returns {TextFault | undefined} why it would be refused, or `undefined` when it is fine
 */
export function textFault(text: unknown): TextFault | undefined;
/**
 * Whether a value is a valid `nonce`: a string of 1 to
 * {@linkcode MAX_NONCE_CHARS} printable ASCII characters.
 *
 * @param {unknown} nonce
 * @returns {nonce is string}
 */
export function isValidNonce(nonce: unknown): nonce is string;
/**
 * Why a message's text would be refused: `MALFORMED` (not a string, or lone
 * surrogates), `BLANK` (empty after trimming) or `TOO_LONG` (over
 * {@linkcode MAX_TEXT_CHARS} code points). The server closes with 1007
 * `BAD_MESSAGE` for the first two and 1009 `TOO_BIG` for the last.
 */
export type TextFault = "MALFORMED" | "BLANK" | "TOO_LONG";
