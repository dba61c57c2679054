/**
 * What a v2 server frame holds, checked for what the client relies on before
 * it reaches a listener: an event of a known `type` with the fields of that
 * type. Anything else (a newer server's event, say) is skipped.
 *
 * @module
 */
/**
 * Whether a value of a v2 frame is an event the client knows, well formed.
 *
 * @param {unknown} value
 * @returns {value is ServerEvent}
 */
export function isServerEvent(value: unknown): value is ServerEvent;
import type { ServerEvent } from "../contract/mod.js";
