/**
 * The 405 handler registered after a path's real methods.
 *
 * @module
 */
import type { Handler } from "hono";
import { AppError } from "../errors.ts";

/** A handler that answers 405 `METHOD_NOT_ALLOWED` with an `Allow` header. */
export function methodNotAllowed(...methods: string[]): Handler {
  const allow = methods.includes("GET") && !methods.includes("HEAD")
    ? [...methods, "HEAD"]
    : methods;
  return (c) => {
    throw new AppError(
      405,
      "METHOD_NOT_ALLOWED",
      `Method ${c.req.method} is not allowed here; use ${allow.join(", ")}`,
      { headers: { allow: allow.join(", ") } },
    );
  };
}
