/**
 * Typed domain errors. Each carries the envelope's `type` and its HTTP status;
 * one error handler ({@linkcode "./http/on_error.ts"}) maps them to responses.
 *
 * @module
 */

/** The HTTP statuses this server answers errors with (410 only as a v2 `error` event). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 426 | 429 | 500 | 503;

/** An error whose `type` and `message` are safe to show to clients. */
export class AppError extends Error {
  override name = "AppError";
  /** The envelope's `error.type`, e.g. `BAD_BINDING`. */
  readonly type: string;
  readonly status: ErrorStatus;
  /** Extra response headers, e.g. `Retry-After` or `Allow`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: ErrorStatus,
    type: string,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, { cause: options?.cause });
    this.status = status;
    this.type = type;
    this.headers = options?.headers ?? {};
  }
}

/** 400 for a request that is malformed or fails validation. */
export class ValidationError extends AppError {
  override name = "ValidationError";
  constructor(type: string, message: string, options?: { cause?: unknown }) {
    super(400, type, message, options);
  }
}

/** 409 for a unique value that is already taken. */
export class ConflictError extends AppError {
  override name = "ConflictError";
  constructor(type: string, message: string) {
    super(409, type, message);
  }
}

/** 401 for a missing, invalid or expired credential. */
export class AuthError extends AppError {
  override name = "AuthError";
  constructor(type: string, message: string, options?: { cause?: unknown }) {
    super(401, type, message, options);
  }
}

/** 403 for an action the caller may not take (`FORBIDDEN`, `NOT_A_MEMBER`, `BANNED`, …). */
export class ForbiddenError extends AppError {
  override name = "ForbiddenError";
  constructor(type: string, message: string) {
    super(403, type, message);
  }
}

/** 404 for something that does not exist. */
export class NotFoundError extends AppError {
  override name = "NotFoundError";
  constructor(type: string, message: string) {
    super(404, type, message);
  }
}

/** 429 with a `Retry-After` in whole seconds. */
export class RateLimitError extends AppError {
  override name = "RateLimitError";
  constructor(message: string, retryAfterSeconds: number) {
    super(429, "RATE_LIMITED", message, {
      headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

/** 503 when the store cannot be reached; the library error rides as `cause`. */
export class StoreUnavailableError extends AppError {
  override name = "StoreUnavailableError";
  constructor(cause?: unknown) {
    super(503, "STORE_UNAVAILABLE", "The store is unavailable, try again later", { cause });
  }
}

/** 503 while the server shuts down: new sockets and readiness probes get it. */
export class ShuttingDownError extends AppError {
  override name = "ShuttingDownError";
  constructor() {
    super(503, "SHUTTING_DOWN", "The server is shutting down; reconnect shortly", {
      headers: { "retry-after": "1" },
    });
  }
}

/**
 * A failure that stops the server from starting (a bad setting, a backend that
 * does not answer): its message is printed as is, without a stack trace.
 */
export class StartupError extends Error {
  override name = "StartupError";
  /** The process's exit code: 1 (a backend is away) unless a subclass says otherwise. */
  readonly exitCode: number = 1;
}
