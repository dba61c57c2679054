/**
 * Query-string parsing with `BAD_QUERY` errors. Values come from Hono's
 * `c.req.queries(name)` rather than `new URL(request.url)`, which throws on a
 * malformed `Host` header.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** Every value of one query parameter (`c.req.queries(name)`), or `undefined` when absent. */
export type QueryValues = string[] | undefined;

/**
 * Reads an optional whole-number query parameter within `[min, max]`.
 *
 * @throws {ValidationError} `BAD_QUERY` naming the parameter
 */
export function intParam(
  query: QueryValues,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const values = query ?? [];
  if (values.length === 0) return undefined;
  const raw = values[0]!;
  if (values.length > 1) {
    throw new ValidationError("BAD_QUERY", `Query parameter "${name}" is given more than once`);
  }
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ValidationError(
      "BAD_QUERY",
      `Query parameter "${name}" must be a whole number from ${min} to ${max}`,
    );
  }
  return Number(raw);
}

/**
 * Reads an optional boolean flag given as `1`/`0`/`true`/`false` (empty means true).
 *
 * @throws {ValidationError} `BAD_QUERY`
 */
export function flagParam(query: QueryValues, name: string): boolean {
  const raw = query?.[0];
  if (raw === undefined) return false;
  const value = raw.toLowerCase();
  if (value === "1" || value === "true" || value === "") return true;
  if (value === "0" || value === "false") return false;
  throw new ValidationError("BAD_QUERY", `Query parameter "${name}" must be 1 or 0`);
}
