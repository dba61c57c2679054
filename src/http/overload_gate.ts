/**
 * What the server does while its resident memory is over
 * `MEMORY_HIGH_WATER_MB`: new sockets get 503 `OVERLOADED` before the
 * upgrade, `/readyz` fails the same way (a balancer sends new clients
 * elsewhere), and every anonymous socket is closed with 1013 `OVERLOADED`
 * (anonymous readers cost nothing to let go and are the cheapest to open
 * for an attacker; signed-in sockets stay). Each is logged and counted.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { CLOSE } from "../contract/mod.js";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type Every, MemoryGuard } from "../memory_guard.ts";
import type { Metrics } from "../metrics.ts";
import type { SessionRegistry } from "../realtime/session_registry.ts";
import type { AppEnv } from "./env.ts";

const MIB = 1024 * 1024;

/** 503 while memory is over its high-water mark: new sockets and readiness probes get it. */
export class OverloadedError extends AppError {
  override name = "OverloadedError";
  constructor() {
    super(503, "OVERLOADED", "The server is short of memory; try again shortly", {
      headers: { "retry-after": "5" },
    });
  }
}

/** Where the memory figures come from; tests pass a fake. */
export interface MemorySource {
  /** Resident memory in bytes; default `Deno.memoryUsage().rss`. */
  readonly rss?: () => number;
  /** The sampling clock; default an unref'd `setInterval`. */
  readonly every?: Every;
}

/** Dependencies of {@linkcode startOverloadGuard}. */
export interface OverloadDeps {
  /** `MEMORY_HIGH_WATER_MB`; 0 turns every part off. */
  readonly highWaterMb: number;
  readonly registry: SessionRegistry;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly source?: MemorySource;
}

/** A running overload guard. */
export interface OverloadGuard {
  /** The middleware: 503 `OVERLOADED` for socket handshakes and `/readyz` while over. */
  readonly gate: MiddlewareHandler<AppEnv>;
  /** True while memory is over the mark. */
  over(): boolean;
  /** Stops the sampler. */
  close(): void;
}

function isUpgrade(request: Request): boolean {
  return (request.headers.get("upgrade") ?? "").toLowerCase() === "websocket";
}

/** Starts sampling memory and returns the gate that acts on it. */
export function startOverloadGuard(deps: OverloadDeps): OverloadGuard {
  const { registry, logger } = deps;
  let shed = 0;
  let refused = 0;
  const guard = new MemoryGuard({
    highWaterBytes: deps.highWaterMb * MIB,
    rss: deps.source?.rss,
    every: deps.source?.every,
    onSample({ rss, over, changed }) {
      const fields = { rssMb: Math.round(rss / MIB), highWaterMb: deps.highWaterMb };
      if (changed && over) logger.warn("Memory is over its high-water mark: shedding load", fields);
      if (changed && !over) logger.info("Memory is back under its high-water mark", fields);
      if (!over) return;
      const closed = registry.shedAnonymous(CLOSE.OVERLOADED);
      if (closed === 0) return;
      shed += closed;
      logger.warn("Closed anonymous sockets: memory is over its high-water mark", {
        ...fields,
        closed,
      });
    },
  });
  deps.metrics.gauge(
    "chat_memory_high_water",
    "1 while resident memory is over MEMORY_HIGH_WATER_MB (sockets refused, readers shed)",
    () => guard.over ? 1 : 0,
  );
  deps.metrics.counter(
    "chat_overload_shed_total",
    "Anonymous sockets closed with 1013 OVERLOADED while memory was over its mark",
    () => shed,
  );
  deps.metrics.counter(
    "chat_overload_refused_total",
    "Socket handshakes refused with 503 OVERLOADED while memory was over its mark",
    () => refused,
  );
  return {
    async gate(c, next) {
      if (guard.over && (c.req.path === "/readyz" || isUpgrade(c.req.raw))) {
        if (c.req.path !== "/readyz") refused++;
        throw new OverloadedError();
      }
      await next();
    },
    over: () => guard.over,
    close: () => guard.close(),
  };
}
