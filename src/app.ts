/**
 * The application factory: builds the hub, sessions, accounts and routes from
 * the dependencies it is given. No module-level state; every test builds its own.
 *
 * @module
 */
import { Hono } from "hono";
import { type Accounts, createAccounts } from "./auth/accounts.ts";
import { createTokenService, type TokenService } from "./auth/tokens.ts";
import { RoomActions } from "./chat/room_actions.ts";
import type { RoomPolicy } from "./chat/room_policy.ts";
import type { Config } from "./config/load_config.ts";
import { NotFoundError } from "./errors.ts";
import { errorResponse } from "./http/envelope.ts";
import type { AppEnv } from "./http/env.ts";
import { onError } from "./http/on_error.ts";
import { openApiRoutes } from "./http/openapi.ts";
import { clientAddress } from "./http/client_address.ts";
import { originPolicy } from "./http/origin_check.ts";
import { directoryRoutes } from "./http/routes/directory.ts";
import { healthRoutes } from "./http/routes/health.ts";
import { moderationRoutes } from "./http/routes/moderation_routes.ts";
import { createModerationKit, type ModerationKit } from "./moderation/moderation_kit.ts";
import { SocketGuard } from "./realtime/socket_guard.ts";
import { roomReadGate } from "./http/room_read_gate.ts";
import { messageEditRoutes } from "./http/routes/message_edits.ts";
import { readStateRoutes } from "./http/routes/read_state.ts";
import { roomSocketRoutes } from "./http/routes/room_socket.ts";
import { roomRoutes } from "./http/routes/rooms.ts";
import { staticRoutes } from "./http/routes/static.ts";
import { userRoutes } from "./http/routes/users.ts";
import type { Logger } from "./log.ts";
import type { Bus } from "./realtime/bus.ts";
import { CLOSE, type CloseReason } from "./contract/mod.js";
import { eventLog, type RoomLogEvent } from "./realtime/event_log.ts";
import { Hub } from "./realtime/hub.ts";
import { Rooms } from "./realtime/rooms.ts";
import { CLOSE_MAX_MS, QUIET_MAX_MS, SessionRegistry } from "./realtime/session_registry.ts";
import { type MemorySource, startOverloadGuard } from "./http/overload_gate.ts";
import type { Seat } from "./realtime/seat.ts";
import { Signals } from "./realtime/signals.ts";
import { loggedWire } from "./realtime/wire.ts";
import { PresenceReporter } from "./realtime/presence_reporter.ts";
import type { Store } from "./store/store.ts";
import { Metrics } from "./metrics.ts";
import { addProcessMetrics } from "./process_metrics.ts";
import { cors } from "./http/cors.ts";
import { memoryThrottles, type ThrottleFactory } from "./http/throttle.ts";
import { requestIdFor } from "./http/request_id.ts";

/** Methods reported by name in metrics; any other token counts as `OTHER`. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Dependencies of {@linkcode createApp}. */
export interface AppDeps {
  config: Config;
  store: Store;
  /** Carries logged events (messages, edits, deletes) and ephemeral signals. */
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
  /** Seconds of silence before a ping; a socket without a pong as long again is dropped. */
  heartbeatSeconds?: number;
  /** Who may post, edit and delete in which room; default: the permission table (`permissions.ts`). */
  policy?: RoomPolicy;
  /**
   * Where `MEMORY_HIGH_WATER_MB`'s samples come from; default the process's
   * RSS, every second (every 250 ms past half the mark).
   */
  memory?: MemorySource;
  /** Where the login and sign-up throttles count; default: in this process. */
  throttles?: ThrottleFactory;
}

/** A built application. */
export interface ChatApp {
  /** The `fetch` handler for `Deno.serve`. */
  readonly fetch: (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>;
  readonly hono: Hono<AppEnv>;
  /** This isolate's members by room. */
  readonly hub: Hub<Seat<RoomLogEvent>>;
  /** The rooms this isolate follows: bus → stream → hub. */
  readonly rooms: Rooms<RoomLogEvent>;
  /** The rooms' ephemeral side: join and leave, typing, reads, presence snapshots. */
  readonly signals: Signals;
  /** Posts, edits, deletes and reads: permission check, store, bus. */
  readonly actions: RoomActions;
  /** Revoked tokens, the permission table's facts, the control channel, the audit log. */
  readonly moderation: ModerationKit;
  readonly tokens: TokenService;
  readonly accounts: Accounts;
  readonly presence: PresenceReporter;
  readonly metrics: Metrics;
  /** This isolate's id, sent as `x-served-by`. */
  readonly nodeId: string;
  /**
   * Stops background work and closes every socket with `close` (1001 by
   * default), unless `closeSockets` is false (under `deno serve`, Deno does it).
   */
  close(options?: { close?: CloseReason; closeSockets?: boolean }): Promise<void>;
  /**
   * The sockets' part of a shutdown, before the server is shut down: takes no
   * more sockets or frames and writes nothing more, waits until what was
   * written has left (at most `QUIET_MAX_MS`), then closes every open socket
   * with 1001 `SHUTDOWN` keeping to the closing handshake and waits until all
   * are closed (at most `CLOSE_MAX_MS`; see `src/realtime/session_registry.ts`).
   */
  closeSocketsCleanly(): Promise<void>;
}

/** Builds the application. */
export function createApp(deps: AppDeps): ChatApp {
  const { config, store, bus, logger } = deps;
  const now = deps.now ?? Date.now;
  const moderation = createModerationKit({ config, store, bus, logger, now });
  const tokens = createTokenService({
    secret: deps.jwtSecret,
    issuer: config.jwtIssuer,
    ttlSeconds: config.tokenTtlSeconds,
    now,
    revocations: moderation.revocations,
  });
  const nodeId = deps.nodeId ?? crypto.randomUUID();
  const accounts = createAccounts({ store, tokens, iterations: config.pbkdf2Iterations, now });
  const hub = new Hub<Seat<RoomLogEvent>>({ onMembersChanged: (room) => presence.changed(room) });
  const rooms = new Rooms<RoomLogEvent>({
    hub,
    bus,
    log: eventLog(store),
    wire: loggedWire(store),
    batchWindowMs: config.batchWindowMs,
    onError: (error) => logger.warn("Cannot fill a gap in a room's stream", { error }),
    onReset: (room, epoch) =>
      logger.warn("A room's log went back below what was delivered; its stream restarted", {
        room,
        epoch,
      }),
    onDelivered: (event) => {
      if (event.type !== "message") return;
      metrics.deliveryDelay.observe({}, (now() - Date.parse(event.createdAt)) / 1000);
    },
  });
  const signals = new Signals({
    bus,
    members: hub,
    node: nodeId,
    presence: (room) => store.roomPresence(room),
    now,
    ttlMs: config.presenceTtlSeconds * 1000,
    // On the in-process bus no other node can answer a `hello`.
    helloWaitMs: config.bus === "memory" ? 0 : undefined,
    onError: (error) => logger.warn("Cannot follow a room's presence", { error }),
  });
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const actions = new RoomActions({
    store,
    bus,
    reads: signals,
    policy: deps.policy ?? moderation.policy,
    now,
    newId,
  });
  const presence: PresenceReporter = new PresenceReporter({
    store,
    node: nodeId,
    members: (room) => hub.members(room),
    rooms: () => hub.rooms(),
    logger,
    ttlMs: config.presenceTtlSeconds * 1000,
    refreshMs: config.presenceTtlSeconds * 1000 / 3,
  });
  let closing = false;
  const registry = new SessionRegistry();
  const metrics = new Metrics();
  const overload = startOverloadGuard({
    highWaterMb: config.memoryHighWaterMb,
    registry,
    metrics,
    logger,
    source: deps.memory,
  });
  addProcessMetrics(metrics);
  const throttles = deps.throttles ?? memoryThrottles(now);
  metrics.gauge("chat_connections", "Open WebSocket connections", () => registry.open);
  metrics.gauge("chat_rooms", "Rooms with members on this isolate", () => hub.roomCount);
  metrics.counter(
    "chat_messages_out_total",
    "Messages written to sockets, each once per socket (history included)",
    () => rooms.messagesSent,
  );

  // The document describes the whole app, read when it is first requested.
  const openApi = openApiRoutes(() => hono);
  const api = new Hono<AppEnv>()
    .use(cors(config.allowedOrigins))
    .route(
      "/",
      userRoutes({
        accounts,
        tokens,
        store,
        loginLimiter: throttles({
          name: "login",
          what: "login attempts",
          perMinute: config.loginRateLimit,
        }),
        loginUserLimiter: throttles({
          name: "login-user",
          what: "failed logins for this user",
          perMinute: config.loginUserRateLimit,
        }),
        signupLimiter: throttles({
          name: "signup",
          what: "sign-ups",
          perMinute: config.signupRateLimit,
        }),
        isAdmin: (user) => moderation.access.isAdmin(user),
      }),
    )
    .route(
      "/",
      moderationRoutes({
        kit: moderation,
        tokens,
        store,
        actions,
        // The server API's key is its authority: its posts and deletes are not the table's.
        serverActions: new RoomActions({
          store,
          bus,
          reads: signals,
          policy: { check: () => Promise.resolve() },
          now,
          newId,
        }),
        adminApiKey: config.adminApiKey,
      }),
    )
    .route("/", roomRoutes({ store, readable: roomReadGate(moderation.access, tokens) }))
    .route("/", directoryRoutes({ store }))
    .route("/", readStateRoutes({ tokens, store, actions, access: moderation.access }))
    .route("/", openApi.api)
    .route(
      "/",
      roomSocketRoutes({
        tokens,
        origins: originPolicy(config),
        maxSocketsPerAddress: config.maxSocketsPerAddress,
        idleTimeoutSeconds: deps.heartbeatSeconds ?? 30,
        accepting: () => !closing,
        nodeId,
        metrics,
        guard: new SocketGuard({
          access: moderation.access,
          control: moderation.control,
          tokens,
          logger,
        }),
        session: {
          metrics,
          rooms,
          signals,
          actions,
          verifyToken: (token) => tokens.verify(token),
          logger,
          now,
          rateLimitBurst: config.rateLimitBurst,
          rateLimitPerSec: config.rateLimitPerSec,
          maxBufferedBytes: deps.maxBufferedBytes ?? 1024 * 1024,
          registry,
        },
      }),
    )
    // After the socket routes: its 405 for `/rooms/:room/messages/:seq` would take `…/ws`.
    .route("/", messageEditRoutes({ tokens, actions }));

  // Hono's default router: RegExpRouter cannot hold `/rooms/:room/messages/ws` beside
  // `/rooms/:room/messages/:seq` (a static segment and a parameter in one place), so
  // the smart router falls back to its trie.
  const hono = new Hono<AppEnv>()
    .use(async (c, next) => {
      const requestId = requestIdFor(c.req.header("x-request-id"));
      c.set("requestId", requestId);
      const started = performance.now();
      await next();
      const route = c.req.routePath;
      const status = c.res.status;
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : "OTHER";
      metrics.httpRequests.inc({ method, route, status: String(status) });
      metrics.httpDuration.observe({ route }, (performance.now() - started) / 1000);
      if (status !== 101) {
        c.res.headers.set("x-request-id", requestId);
        c.res.headers.set("x-served-by", nodeId);
      }
      if (logger.enabled("info")) {
        logger.info("Request", {
          requestId,
          method: c.req.method,
          route,
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
      }
    })
    .use(clientAddress(config))
    .use(overload.gate)
    .route("/", healthRoutes({ store, accepting: () => !closing }))
    .get("/metrics", () =>
      new Response(metrics.render(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      }))
    .route("/api/v1", api)
    .route("/", openApi.raw)
    .route("/", staticRoutes());
  hono.notFound((c) => errorResponse(new NotFoundError("NOT_FOUND", `No route for ${c.req.path}`)));
  hono.onError(onError(logger));

  return {
    fetch: (request, info) => hono.fetch(request, info),
    hono,
    hub,
    rooms,
    signals,
    actions,
    moderation,
    tokens,
    accounts,
    presence,
    metrics,
    nodeId,
    async close(options = {}) {
      const { close = CLOSE.SHUTDOWN, closeSockets = true } = options;
      closing = true;
      overload.close();
      if (closeSockets) registry.endAll(close);
      rooms.clear();
      // Give clients a moment to answer the close frames, so they see the code.
      if (closeSockets) await registry.allClosed(2000);
      // What sessions were storing finishes before the store closes.
      await registry.settle(1500);
      signals.close();
      moderation.close();
      await presence.close();
    },
    async closeSocketsCleanly() {
      closing = true;
      await registry.quietDown(QUIET_MAX_MS);
      await registry.closeAll(CLOSE.SHUTDOWN, CLOSE_MAX_MS);
    },
  };
}
