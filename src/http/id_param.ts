/**
 * Positive whole-number path parameters (`:id`, `:userId`, `:seq`), refused
 * with `BAD_QUERY`.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/**
 * Reads a path parameter as a positive safe integer.
 *
 * @param what the thing it names, for the message (`user id`, `seq`)
 * @throws {ValidationError} `BAD_QUERY`
 */
export function parseIdParam(raw: string | undefined, what: string): number {
  const text = raw ?? "";
  const id = Number(text);
  if (!/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(id)) {
    throw new ValidationError(
      "BAD_QUERY",
      `Cannot read ${what} "${text.slice(0, 40)}": it must be a positive whole number`,
    );
  }
  return id;
}
