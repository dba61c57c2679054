/**
 * The application factory: builds the hub, sessions, accounts and routes from
 * the dependencies it is given. No module-level state; every test builds its own.
 *
 * @module
 */
import { Hono } from "hono";
import { type Accounts, createAccounts } from "./auth/accounts.ts";
import { createTokenService, type TokenService } from "./auth/tokens.ts";
import type { Config } from "./config.ts";
import { NotFoundError, StoreUnavailableError } from "./errors.ts";
import { dataResponse, errorResponse } from "./http/envelope.ts";
import type { AppEnv } from "./http/env.ts";
import { onError } from "./http/on_error.ts";
import { roomSocketRoutes } from "./http/routes/room_socket.ts";
import { roomRoutes } from "./http/routes/rooms.ts";
import { userRoutes } from "./http/routes/users.ts";
import type { Logger } from "./log.ts";
import type { Bus } from "./realtime/bus.ts";
import { CLOSE, type CloseReason } from "./realtime/close_codes.ts";
import { Hub } from "./realtime/hub.ts";
import { PresenceReporter } from "./realtime/presence_reporter.ts";
import type { Store } from "./store/store.ts";

/** Dependencies of {@linkcode createApp}. */
export interface AppDeps {
  config: Config;
  store: Store;
  bus: Bus;
  /** The resolved HS256 secret (from `JWT_SECRET` or the store). */
  jwtSecret: string;
  logger: Logger;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Message ids. */
  newId?: () => string;
  /** This isolate's id in presence entries. */
  nodeId?: string;
  /** Unsent bytes past which a socket is closed with 1013. */
  maxBufferedBytes?: number;
  /** Presence entry lifetime; entries of a dead isolate lapse after it. */
  presenceTtlMs?: number;
}

/** A built application. */
export interface ChatApp {
  /** The `fetch` handler for `Deno.serve`. */
  readonly fetch: (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>;
  readonly hono: Hono<AppEnv>;
  readonly hub: Hub;
  readonly tokens: TokenService;
  readonly accounts: Accounts;
  readonly presence: PresenceReporter;
  /** Closes every socket with `close` (1001 by default) and stops background work. */
  close(close?: CloseReason): Promise<void>;
}

/** Builds the application. */
export function createApp(deps: AppDeps): ChatApp {
  const { config, store, bus, logger } = deps;
  const now = deps.now ?? Date.now;
  const tokens = createTokenService({
    secret: deps.jwtSecret,
    issuer: config.jwtIssuer,
    ttlSeconds: config.tokenTtlSeconds,
    now,
  });
  const accounts = createAccounts({ store, tokens, iterations: config.pbkdf2Iterations });
  const hub = new Hub({
    bus,
    store,
    onMembersChanged: (room) => presence.changed(room),
    onError: (error) => logger.warn("Cannot fill a gap in a room's stream", { error }),
  });
  const presence: PresenceReporter = new PresenceReporter({
    store,
    node: deps.nodeId ?? crypto.randomUUID(),
    members: (room) => hub.members(room),
    rooms: () => hub.rooms(),
    logger,
    ttlMs: deps.presenceTtlMs,
  });
  const sockets = new Set<(close: CloseReason) => void>();

  const api = new Hono<AppEnv>()
    .route("/", userRoutes({ accounts, tokens, store }))
    .route("/", roomRoutes({ store }))
    .route(
      "/",
      roomSocketRoutes({
        tokens,
        allowedOrigins: config.allowedOrigins,
        maxSocketsPerAddress: config.maxSocketsPerAddress,
        idleTimeoutSeconds: 30,
        sockets,
        session: {
          hub,
          bus,
          store,
          logger,
          now,
          newId: deps.newId ?? (() => crypto.randomUUID()),
          rateLimitBurst: config.rateLimitBurst,
          rateLimitPerSec: config.rateLimitPerSec,
          maxBufferedBytes: deps.maxBufferedBytes ?? 1024 * 1024,
        },
      }),
    );

  const hono = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set("requestId", crypto.randomUUID().slice(0, 8));
      await next();
    })
    .get("/healthz", async () => {
      try {
        await store.ping();
      } catch (error) {
        throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
      }
      return dataResponse({ status: "ok" });
    })
    .route("/api/v1", api);
  hono.notFound((c) => errorResponse(new NotFoundError("NOT_FOUND", `No route for ${c.req.path}`)));
  hono.onError(onError(logger));

  return {
    fetch: (request, info) => hono.fetch(request, info),
    hono,
    hub,
    tokens,
    accounts,
    presence,
    async close(close = CLOSE.SHUTDOWN) {
      for (const end of [...sockets]) end(close);
      hub.clear();
      await presence.close();
    },
  };
}
