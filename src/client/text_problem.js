// @ts-self-types="../client/text_problem.d.ts"
/**
 * A message's text checked before it is sent, as the server will check it.
 *
 * @module
 */
import { MAX_TEXT_CHARS, textFault } from "../contract/mod.js";

/**
 * Checks a message's text as the server will (a well-formed string, trimmed
 * non-empty, at most 4,000 code points).
 *
 * @param {string} text
 * @returns {string | undefined} why the text would be refused, as a sentence
 *   without its period, or `undefined` when it is fine
 */
export function textProblem(text) {
  if (typeof text !== "string") return "Message must be a string";
  switch (textFault(text)) {
    case "MALFORMED":
      return "Message has broken characters";
    case "BLANK":
      return "Message is empty";
    case "TOO_LONG":
      return `Message is longer than ${MAX_TEXT_CHARS} characters`;
  }
  return undefined;
}
