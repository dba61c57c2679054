/**
 * The WebSocket handshake for `/rooms/:room/messages/ws` and `/rooms/:room/ws`:
 * validates the room, origin, query and token before upgrading, then hands the
 * socket to a session.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { TokenClaims, TokenService } from "../../auth/tokens.ts";
import {
  AppError,
  RateLimitError,
  ShuttingDownError,
  StoreUnavailableError,
} from "../../errors.ts";
import { CLOSE } from "../../contract/mod.js";
import type { Metrics } from "../../metrics.ts";
import { parseRoomName } from "../room_param.ts";
import { runSession, type SessionDeps, type SessionInfo } from "../../realtime/session.ts";
import { bearerToken } from "../bearer_auth.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { originAllowed, type OriginPolicy } from "../origin_check.ts";
import { flagParam, intParam } from "../query.ts";
import type { SocketGuard } from "../../realtime/socket_guard.ts";

/** Dependencies of {@linkcode roomSocketRoutes}. */
export interface RoomSocketDeps {
  tokens: TokenService;
  session: SessionDeps;
  /** Which browser origins may open sockets (`ALLOWED_ORIGINS`, `PUBLIC_URL`). */
  origins: OriginPolicy;
  /** 0: no cap. */
  maxSocketsPerAddress: number;
  /** Seconds without a pong before Deno drops the connection. */
  idleTimeoutSeconds: number;
  /** False once the app is closing: new sockets would join a hub that is gone. */
  accepting: () => boolean;
  /** Sent as `x-served-by` on the 101 response. */
  nodeId: string;
  metrics: Metrics;
  /** Admits callers by the permission table and registers sockets with the control channel. */
  guard: SocketGuard;
}

/** The values of a `Sec-WebSocket-Protocol` header, trimmed, in order. */
function parseProtocols(header: string | null): string[] {
  if (header === null) return [];
  return header.split(",").map((value) => value.trim());
}

function isUpgrade(request: Request): boolean {
  const upgrade = request.headers.get("upgrade") ?? "";
  return upgrade.toLowerCase() === "websocket";
}

/** The room socket routes. */
export function roomSocketRoutes(deps: RoomSocketDeps): Hono<AppEnv> {
  const perAddress = new Map<string, number>();

  /**
   * Runs the session of an upgraded socket. Kept apart from the handshake so
   * that the socket's closures do not hold the request's context for as long
   * as the socket lives.
   */
  const accept = (
    socket: WebSocket,
    info: SessionInfo,
    address: string,
    claims: TokenClaims | undefined,
  ) => {
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    // A v2 `auth` frame's fresh token is the one revocation then looks for
    // (frames are handled after this function has returned).
    const session: SessionDeps = claims
      ? {
        ...deps.session,
        verifyToken: async (token) => {
          const fresh = await deps.session.verifyToken(token);
          watch.retoken(fresh);
          return fresh;
        },
      }
      : deps.session;
    const end = runSession(socket, info, session);
    const watch = deps.guard.watch(info.room, claims, end);
    socket.addEventListener("close", () => {
      watch.dispose();
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  };

  const handshake = async (c: Context<AppEnv>) => {
    const request = c.req.raw;
    const room = parseRoomName(c.req.param("room") ?? "");
    const since = intParam(c.req.queries("since"), "since", 0, Number.MAX_SAFE_INTEGER);
    const batch = flagParam(c.req.queries("batch"), "batch");
    const version = intParam(c.req.queries("v"), "v", 1, 2) === 2 ? 2 : 1;
    if (!isUpgrade(request)) {
      throw new AppError(426, "UPGRADE_REQUIRED", "This path needs a WebSocket upgrade", {
        headers: { upgrade: "websocket" },
      });
    }
    const wsVersion = request.headers.get("sec-websocket-version");
    const key = (request.headers.get("sec-websocket-key") ?? "").trim();
    if (wsVersion !== "13" || !/^[A-Za-z0-9+/]{22}==$/.test(key)) {
      throw new AppError(400, "BAD_HANDSHAKE", "The WebSocket handshake is not valid", {
        headers: { "sec-websocket-version": "13" },
      });
    }
    if (!deps.accepting()) {
      throw new ShuttingDownError();
    }
    if (!originAllowed(request.headers.get("origin"), deps.origins, c.var.publicOrigin)) {
      throw new AppError(403, "FORBIDDEN_ORIGIN", "This origin may not open sockets here");
    }
    const protocols = parseProtocols(request.headers.get("sec-websocket-protocol"));
    const token = protocols[0] || bearerToken(request.headers.get("authorization"));
    let claims: TokenClaims | undefined;
    if (token) claims = await deps.tokens.verify(token);
    // Private rooms, bans: 401 / 403 before the upgrade. A store that cannot
    // answer ends the socket with 1011 just after it opens, as v1 always did.
    let storeDown = false;
    try {
      await deps.guard.admit(claims?.user, room);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      storeDown = true;
    }

    const address = c.var.clientAddress;
    if (
      deps.maxSocketsPerAddress > 0 && (perAddress.get(address) ?? 0) >= deps.maxSocketsPerAddress
    ) {
      throw new RateLimitError("Too many open sockets from this address", 5);
    }

    let upgraded: { socket: WebSocket; response: Response };
    try {
      upgraded = Deno.upgradeWebSocket(request, { idleTimeout: deps.idleTimeoutSeconds });
    } catch (error) {
      throw new AppError(400, "BAD_HANDSHAKE", "The WebSocket handshake is not valid", {
        cause: error,
      });
    }
    const { socket, response } = upgraded;
    // Browsers fail a handshake that selects no offered protocol: echo the first (the token).
    const selected = protocols.find((p) => p.length > 0);
    if (selected !== undefined) response.headers.set("sec-websocket-protocol", selected);
    response.headers.set("x-served-by", deps.nodeId);
    if (storeDown) {
      const { code, reason } = CLOSE.INTERNAL_ERROR;
      deps.metrics.closes.inc({ code: String(code), reason });
      socket.addEventListener("open", () => socket.close(code, reason), { once: true });
      return response;
    }
    deps.metrics.connectsTotal.inc();
    accept(
      socket,
      { room, user: claims?.user, tokenExp: claims?.exp, since, batch, version },
      address,
      claims,
    );
    return response;
  };

  return new Hono<AppEnv>()
    .get("/rooms/:room/messages/ws", handshake)
    .all("/rooms/:room/messages/ws", methodNotAllowed("GET"))
    .get("/rooms/:room/ws", handshake)
    .all("/rooms/:room/ws", methodNotAllowed("GET"));
}
