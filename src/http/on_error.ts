/**
 * The one place errors become responses: typed errors keep their type and
 * status; anything else is logged and answered with a generic 500.
 *
 * @module
 */
import type { ErrorHandler } from "hono";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { errorResponse } from "./envelope.ts";
import type { AppEnv } from "./env.ts";

/** Builds the app's error handler. */
export function onError(logger: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (error instanceof AppError) {
      if (error.status >= 500) {
        logger.error("Request failed", {
          requestId: c.var.requestId,
          path: c.req.path,
          type: error.type,
          error: error.cause ?? error,
        });
      }
      return errorResponse(error);
    }
    logger.error("Unexpected error", { requestId: c.var.requestId, path: c.req.path, error });
    return errorResponse({
      status: 500,
      type: "INTERNAL_ERROR",
      message: "The server failed to handle this request",
      headers: {},
    });
  };
}
