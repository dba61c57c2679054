/**
 * The one error rule of every store adapter: a domain error (a conflict)
 * passes as it is; a bug in our code (a `TypeError`, a `RangeError`, …) or a
 * failure the backend blames on its input stays an error (answered 500 and
 * logged); only an outage of the backend becomes `STORE_UNAVAILABLE` (503).
 *
 * @module
 */
import { AppError, StoreUnavailableError } from "../errors.ts";

/** Tells an adapter's outages (503) from its other failures (500). */
export type OutageTest = (error: unknown) => boolean;

/** Whether `error` is a bug in JavaScript code rather than the backend failing. */
export function isBug(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError ||
    error instanceof SyntaxError || error instanceof ReferenceError;
}

/** The error a store call rejects with, by the rule above. */
export function storeFailure(error: unknown, isOutage: OutageTest): unknown {
  if (error instanceof AppError || isBug(error) || !isOutage(error)) return error;
  return new StoreUnavailableError(error);
}

/** The failure of a call on a store that was closed: the store is away (503). */
export function storeClosed(): StoreUnavailableError {
  return new StoreUnavailableError(new Error("store is closed"));
}
