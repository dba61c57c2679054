/**
 * Structured JSON logs, one object per line, filtered by level.
 *
 * @module
 */
import type { LogLevel } from "./config/load_config.ts";

/** A structured logger. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Whether lines of `level` are written, to skip building fields that would be dropped. */
  enabled(level: LogLevel): boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function describe(value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.cause !== undefined ? { cause: describe(value.cause) } : {}),
    };
  }
  return value;
}

/**
 * A logger writing JSON lines to `write` (stderr by default).
 *
 * @param level the lowest level written
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => console.error(line),
): Logger {
  const log = (at: LogLevel) => (message: string, fields: Record<string, unknown> = {}) => {
    if (RANK[at] < RANK[level]) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: at, message };
    for (const [key, value] of Object.entries(fields)) record[key] = describe(value);
    write(JSON.stringify(record));
  };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    enabled: (at) => RANK[at] >= RANK[level],
  };
}

/** A logger that writes nothing, for tests. */
export const silentLogger: Logger = createLogger("error", () => {});
