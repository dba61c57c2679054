/**
 * A message's text checked before it is sent, as the server will check it.
 *
 * @module
 */
/**
 * Checks a message's text as the server will (a well-formed string, trimmed
 * non-empty, at most 4,000 code points).
 *
 * @param {string} text
 * @returns {string | undefined} why the text would be refused, as a sentence
 *   without its period, or `undefined` when it is fine
 */
export function textProblem(text: string): string | undefined;
