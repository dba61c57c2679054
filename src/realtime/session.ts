/**
 * One WebSocket connection in one room: joins the hub (and the room's
 * signals) when the socket opens, turns each inbound frame into an action of
 * the message service (or a close), and enforces the per-connection limits.
 *
 * A v1 socket sends messages only and is closed on any bad frame. A v2 socket
 * (`?v=2`) sends every frame of CONTRACT §6; a request that fails but leaves
 * the connection sound is answered with an `error` event, and it receives
 * the room's `presence` right after its history.
 *
 * @module
 */
import { closeOfRefusal } from "../auth/permissions.ts";
import type { TokenClaims } from "../auth/tokens.ts";
import type { RoomActions } from "../chat/room_actions.ts";
import { type AppError, StoreUnavailableError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { PublicUser } from "../model.ts";
import { TokenBucket } from "../token_bucket.ts";
import { CLOSE, type CloseReason } from "../contract/mod.js";
import { errorEvent, isReplyError, nonceOf, runCommand } from "./commands.ts";
import type { Member } from "./hub.ts";
import { parseClientFrame, parseClientFrameV2 } from "./protocol.ts";
import type { RoomJoiner } from "./rooms.ts";
import type { SessionRegistry } from "./session_registry.ts";
import type { Signals } from "./signals.ts";
import type { ProtocolVersion } from "./wire.ts";

/** How long a closing session waits for the client's in-flight frames to stop. */
const QUIET_MS = 10;
/** The longest a close frame is held back for a client that keeps sending. */
const MAX_CLOSE_DELAY_MS = 1000;

/** Characters sent between two looks at a socket's unsent bytes. */
const CHECK_BUFFER_EVERY = 64 * 1024;

/** What the handshake established about a connection. */
export interface SessionInfo {
  readonly room: string;
  /** `undefined` for an anonymous, read-only reader. */
  readonly user: PublicUser | undefined;
  /** The token's `exp` in Unix seconds. */
  readonly tokenExp: number | undefined;
  readonly since: number | undefined;
  readonly batch: boolean;
  /** The protocol the socket speaks (`?v=2`); 1 when absent. */
  readonly version?: ProtocolVersion;
}

/** Shared dependencies of every session. */
export interface SessionDeps {
  /** Where the socket joins its room. */
  readonly rooms: RoomJoiner;
  /** The room's ephemeral side: join and leave, typing, reads, the presence snapshot. */
  readonly signals: Pick<Signals, "enter" | "typing" | "snapshot">;
  /** Posts, edits, deletes and reads: permission check, store, bus. */
  readonly actions: RoomActions;
  /** Verifies the token of a v2 `auth` frame. */
  readonly verifyToken: (token: string) => Promise<TokenClaims>;
  readonly logger: Logger;
  readonly now: () => number;
  readonly newId: () => string;
  readonly rateLimitBurst: number;
  readonly rateLimitPerSec: number;
  /** Unsent bytes past which a socket is closed with 1013. */
  readonly maxBufferedBytes: number;
  /** Counts what sessions do. */
  readonly metrics: Metrics;
  /** This isolate's sessions: quieted on shutdown, anonymous ones shed under memory pressure. */
  readonly registry?: SessionRegistry;
}

/** Handles one connection until it closes; returns a function that ends it with a close reason. */
export function runSession(
  socket: WebSocket,
  info: SessionInfo,
  deps: SessionDeps,
): (close: CloseReason) => void {
  let leave: (() => void) | undefined;
  let exitSignals: (() => void) | undefined;
  let closed = false;
  const version = info.version ?? 1;
  const socketId = crypto.randomUUID();
  let tokenExp = info.tokenExp;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let storeFailed = false;
  // Made on the first message: most sockets only read.
  let bucket: TokenBucket | undefined;

  let lastFrameAt = 0;
  /**
   * Stops the session at once, but sends the close frame only once the
   * client's frames already in flight have been read: Deno drops the
   * connection without the close frame (1006) when data frames arrive after
   * it has sent one. A client that keeps sending is closed after 1 s anyway.
   */
  const end = (close: CloseReason) => {
    if (closed) return;
    closed = true;
    cleanup();
    deps.metrics.closes.inc({ code: String(close.code), reason: close.reason });
    const endedAt = performance.now();
    const closeWhenQuiet = () => {
      const at = performance.now();
      if (at - lastFrameAt < QUIET_MS && at - endedAt < MAX_CLOSE_DELAY_MS) {
        setTimeout(closeWhenQuiet, QUIET_MS);
        return;
      }
      try {
        socket.close(close.code, close.reason);
      } catch {
        // Already closing.
      }
    };
    if (socket.readyState === WebSocket.CONNECTING) {
      socket.addEventListener("open", closeWhenQuiet, { once: true });
    } else setTimeout(closeWhenQuiet, 0);
  };

  const cleanup = () => {
    if (expiryTimer !== undefined) clearTimeout(expiryTimer);
    expiryTimer = undefined;
    leave?.();
    leave = undefined;
    exitSignals?.();
    exitSignals = undefined;
  };

  /**
   * Closes the socket when the token's `exp` passes. Re-armed at most every
   * minute: Deno keeps a cleared timer's memory until its original due time,
   * and a day-long timer per socket would pile up.
   */
  const armExpiry = () => {
    if (expiryTimer !== undefined) clearTimeout(expiryTimer);
    expiryTimer = undefined;
    if (tokenExp === undefined || closed) return;
    const left = tokenExp * 1000 - deps.now();
    if (left <= 0) return end(CLOSE.TOKEN_EXPIRED);
    expiryTimer = setTimeout(armExpiry, Math.min(left, 60_000));
  };

  /** An outage of the store is expected operation (warn); anything else is a bug (error). */
  const logFailure = (message: string, error: unknown) => {
    const level = error instanceof StoreUnavailableError ? "warn" : "error";
    deps.logger[level](message, { room: info.room, error });
  };

  let unchecked = 0;
  // Unsent bytes of the join's backlog, tolerated above the bound until they drain:
  // a backlog is written in one turn, before the runtime could send any of it.
  let backlogAllowance = 0;
  const member: Member = {
    user: info.user,
    batch: info.batch,
    version,
    socketId,
    send(frame, backlog) {
      // The hub sends only after the socket opened; `closed` follows its close event.
      // Once shutdown began nothing more is written, so the close frame is next.
      if (closed || deps.registry?.quiet) return;
      socket.send(frame);
      deps.metrics.framesOut.value++;
      // At most 3 UTF-8 bytes per UTF-16 unit.
      if (backlog) return void (backlogAllowance += frame.length * 3);
      // Reading bufferedAmount crosses into the runtime: do it once per 64 KiB sent.
      unchecked += frame.length;
      if (unchecked < CHECK_BUFFER_EVERY) return;
      unchecked = 0;
      const unsent = socket.bufferedAmount;
      // What has drained of the backlog is no longer allowed for.
      backlogAllowance = Math.min(backlogAllowance, unsent);
      if (unsent > deps.maxBufferedBytes + backlogAllowance) end(CLOSE.SLOW_CONSUMER);
    },
  };

  socket.addEventListener("open", () => {
    if (closed) return;
    armExpiry();
    if (closed) return;
    exitSignals = deps.signals.enter(info.room, info.user);
    deps.rooms.join(info.room, member, { since: info.since }).then(
      (dispose) => {
        if (closed) return dispose();
        leave = dispose;
        if (version === 2) sendPresence();
      },
      (error) => {
        logFailure("Cannot join room", error);
        end(CLOSE.INTERNAL_ERROR);
      },
    );
  });

  /** The room's `presence`, right after the history. */
  const sendPresence = () => {
    deps.signals.snapshot(info.room).then(
      (presence) => member.send(JSON.stringify([presence])),
      (error) => logFailure("Cannot read a room's presence", error),
    );
  };

  /** Answers a v2 request that failed with an `error` event; the socket stays open. */
  const reply = (error: { type: string; message: string }, nonce: string | undefined) => {
    member.send(errorEvent(error, nonce));
  };

  /** A v2 socket's frame: a command, run in order with the socket's others, or a close. */
  const onFrameV2 = (data: unknown, user: PublicUser) => {
    const frame = parseClientFrameV2(data);
    if (frame.kind === "reject") return end(frame.close);
    // Typing costs nothing to store and is throttled by the signals.
    if (frame.kind === "typing") return deps.signals.typing(info.room, user);
    bucket ??= new TokenBucket(deps.rateLimitBurst, deps.rateLimitPerSec, deps.now);
    const nonce = nonceOf(frame);
    if (!bucket.take()) {
      const message = "Cannot take the request: too many on this socket, slow down";
      return reply({ type: "RATE_LIMITED", message }, nonce);
    }
    const context = {
      room: info.room,
      user,
      socketId,
      actions: deps.actions,
      verifyToken: deps.verifyToken,
      refreshExpiry: (exp: number) => {
        tokenExp = exp;
        armExpiry();
      },
    };
    chain = chain.then(async () => {
      // As in v1: after the server failed a request nothing later is done.
      if (storeFailed) return;
      const started = performance.now();
      try {
        await runCommand(frame, context);
        if (frame.kind === "send") {
          deps.metrics.messagesIn.value++;
          deps.metrics.storeAppend.observe({}, (performance.now() - started) / 1000);
        }
      } catch (error) {
        if (isReplyError(error)) return reply(error, nonce);
        storeFailed = true;
        logFailure("Cannot complete a request", error);
        end(CLOSE.INTERNAL_ERROR);
      }
    });
  };

  socket.addEventListener("message", (event: MessageEvent) => {
    lastFrameAt = performance.now();
    // Once shutdown began frames are not taken: not stored, not acknowledged.
    if (closed || deps.registry?.quiet) return;
    if (!info.user) return end(CLOSE.READ_ONLY);
    if (version === 2) return onFrameV2(event.data, info.user);
    const frame = parseClientFrame(event.data);
    if (frame.kind === "reject") return end(frame.close);
    bucket ??= new TokenBucket(deps.rateLimitBurst, deps.rateLimitPerSec, deps.now);
    if (!bucket.take()) return end(CLOSE.RATE_LIMITED);
    const sender = info.user;
    // One append at a time per connection keeps a sender's messages in its order.
    chain = chain.then(async () => {
      // After a failed append nothing later of this connection is stored:
      // the client resends from the one that failed, in order.
      if (storeFailed) return;
      try {
        const started = performance.now();
        await deps.actions.post({
          room: info.room,
          user: sender,
          text: frame.text,
          nonce: frame.nonce,
        });
        deps.metrics.messagesIn.value++;
        deps.metrics.storeAppend.observe({}, (performance.now() - started) / 1000);
      } catch (error) {
        storeFailed = true;
        // A v1 client has no error event: a refused post (the permission
        // hook's 4xx) closes with 1008 and the error's type as the reason.
        if (isReplyError(error)) return end(refusedClose(error));
        logFailure("Cannot store message", error);
        end(CLOSE.INTERNAL_ERROR);
      }
    });
  });

  const unregister = deps.registry?.add({
    anonymous: !info.user,
    unsent: () => socket.readyState === WebSocket.OPEN ? socket.bufferedAmount : 0,
    settled: () => chain,
    end,
  });

  socket.addEventListener("close", () => {
    closed = true;
    cleanup();
    // Kept until its last store settled, so shutdown waits for it.
    if (unregister) chain.then(unregister);
  });

  return end;
}

/**
 * The close of a v1 socket whose post was refused: the permission table's
 * close for its refusal (4001, 4003, 1008 `MUTED`), else 1008 and the error's type.
 */
function refusedClose(error: AppError): CloseReason {
  return closeOfRefusal(error) ?? { code: 1008, reason: error.type };
}
