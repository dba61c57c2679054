/**
 * The response envelope: `{"error": null, "data": …}` or `{"error": {type, message}, "data": null}`.
 *
 * @module
 */
import type { AppError } from "../errors.ts";

const JSON_TYPE = "application/json; charset=utf-8";

/** A success response carrying `data`. */
export function dataResponse(data: unknown, status = 200, headers?: HeadersInit): Response {
  const out = new Headers(headers);
  out.set("content-type", JSON_TYPE);
  return new Response(JSON.stringify({ error: null, data }), { status, headers: out });
}

/** An error response for a typed error, with its extra headers. */
export function errorResponse(
  error: Pick<AppError, "status" | "type" | "message" | "headers">,
): Response {
  const headers = new Headers(error.headers);
  headers.set("content-type", JSON_TYPE);
  return new Response(
    JSON.stringify({ error: { type: error.type, message: error.message }, data: null }),
    { status: error.status, headers },
  );
}
