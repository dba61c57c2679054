// @ts-self-types="../client/server_events.d.ts"
/**
 * What a v2 server frame holds, checked for what the client relies on before
 * it reaches a listener: an event of a known `type` with the fields of that
 * type. Anything else (a newer server's event, say) is skipped.
 *
 * @module
 */
import { isMessage } from "../client/recovery.js";

/** @import { ServerEvent } from "../contract/mod.js" */

/**
 * @param {unknown} value
 * @returns {value is { id: number, username: string }}
 */
function isUser(value) {
  if (typeof value !== "object" || value === null) return false;
  const user = /** @type {Record<string, unknown>} */ (value);
  return typeof user.id === "number" && typeof user.username === "string";
}

/** @type {Record<string, (e: Record<string, unknown>) => boolean>} */
const CHECKS = {
  message: (e) => isMessage(e),
  edit: (e) =>
    typeof e.seq === "number" && typeof e.target === "number" && typeof e.text === "string" &&
    isUser(e.sender),
  delete: (e) => typeof e.seq === "number" && typeof e.target === "number" && isUser(e.by),
  presence: (e) =>
    Array.isArray(e.users) && e.users.every(isUser) && typeof e.anonymous === "number",
  join: (e) => isUser(e.user),
  leave: (e) => isUser(e.user),
  typing: (e) => isUser(e.user),
  read: (e) => typeof e.seq === "number",
  error: (e) =>
    typeof e.error === "object" && e.error !== null &&
    typeof (/** @type {Record<string, unknown>} */ (e.error)).type === "string",
};

/**
 * Whether a value of a v2 frame is an event the client knows, well formed.
 *
 * @param {unknown} value
 * @returns {value is ServerEvent}
 */
export function isServerEvent(value) {
  if (typeof value !== "object" || value === null) return false;
  const event = /** @type {Record<string, unknown>} */ (value);
  if (typeof event.type !== "string" || !Object.hasOwn(CHECKS, event.type)) return false;
  return CHECKS[event.type]?.(event) ?? false;
}
