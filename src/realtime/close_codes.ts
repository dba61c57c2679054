/**
 * Every WebSocket close this server initiates, with its code and reason.
 *
 * @module
 */

/** A close code and the short reason word sent with it. */
export interface CloseReason {
  readonly code: number;
  readonly reason: string;
}

/** The table of close reasons (contract §3). */
export const CLOSE = Object.freeze(
  {
    NORMAL: { code: 1000, reason: "" },
    SHUTDOWN: { code: 1001, reason: "SHUTDOWN" },
    BINARY_NOT_SUPPORTED: { code: 1003, reason: "BINARY_NOT_SUPPORTED" },
    BAD_MESSAGE: { code: 1007, reason: "BAD_MESSAGE" },
    READ_ONLY: { code: 1008, reason: "READ_ONLY" },
    RATE_LIMITED: { code: 1008, reason: "RATE_LIMITED" },
    TOKEN_EXPIRED: { code: 1008, reason: "TOKEN_EXPIRED" },
    TOO_BIG: { code: 1009, reason: "TOO_BIG" },
    INTERNAL_ERROR: { code: 1011, reason: "INTERNAL_ERROR" },
    SLOW_CONSUMER: { code: 1013, reason: "SLOW_CONSUMER" },
  } satisfies Record<string, CloseReason>,
);
