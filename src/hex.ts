/**
 * Lower-case hexadecimal text of bytes (digests, generated secrets).
 *
 * @module
 */

/** Encodes `bytes` as lower-case hex, two digits a byte. */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(view, (b) => b.toString(16).padStart(2, "0")).join("");
}
