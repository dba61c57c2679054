/**
 * One WebSocket connection in one room: joins the hub when the socket opens,
 * turns each inbound frame into a stored, published message (or a close), and
 * enforces the per-connection limits.
 *
 * @module
 */
import { StoreUnavailableError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { PublicUser } from "../model.ts";
import type { Store } from "../store/store.ts";
import { TokenBucket } from "../token_bucket.ts";
import type { Bus } from "./bus.ts";
import { CLOSE, type CloseReason } from "../contract/mod.js";
import type { Member } from "./hub.ts";
import { parseClientFrame } from "./protocol.ts";
import type { RoomJoiner } from "./rooms.ts";

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
}

/** Shared dependencies of every session. */
export interface SessionDeps {
  /** Where the socket joins its room. */
  readonly rooms: RoomJoiner;
  readonly bus: Bus;
  readonly store: Pick<Store, "appendMessage">;
  readonly logger: Logger;
  readonly now: () => number;
  readonly newId: () => string;
  readonly rateLimitBurst: number;
  readonly rateLimitPerSec: number;
  /** Unsent bytes past which a socket is closed with 1013. */
  readonly maxBufferedBytes: number;
  /** Counts what sessions do. */
  readonly metrics: Metrics;
}

/** Handles one connection until it closes; returns a function that ends it with a close reason. */
export function runSession(
  socket: WebSocket,
  info: SessionInfo,
  deps: SessionDeps,
): (close: CloseReason) => void {
  let leave: (() => void) | undefined;
  let closed = false;
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
    send(frame, backlog) {
      // The hub sends only after the socket opened; `closed` follows its close event.
      if (closed) return;
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
    if (info.tokenExp !== undefined) {
      const ms = info.tokenExp * 1000 - deps.now();
      if (ms <= 0) return end(CLOSE.TOKEN_EXPIRED);
      // Re-armed at most every minute: Deno keeps a cleared timer's memory until its
      // original due time, and a day-long timer per socket would pile up.
      const arm = (delay: number) => {
        expiryTimer = setTimeout(() => {
          const left = info.tokenExp! * 1000 - deps.now();
          if (left <= 0) end(CLOSE.TOKEN_EXPIRED);
          else arm(left);
        }, Math.min(delay, 60_000));
      };
      arm(ms);
    }
    deps.rooms.join(info.room, member, { since: info.since }).then(
      (dispose) => {
        if (closed) dispose();
        else leave = dispose;
      },
      (error) => {
        logFailure("Cannot join room", error);
        end(CLOSE.INTERNAL_ERROR);
      },
    );
  });

  socket.addEventListener("message", (event: MessageEvent) => {
    lastFrameAt = performance.now();
    if (closed) return;
    if (!info.user) return end(CLOSE.READ_ONLY);
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
        const stored = await deps.store.appendMessage({
          id: deps.newId(),
          room: info.room,
          sender,
          text: frame.text,
          nonce: frame.nonce,
          createdAtMs: deps.now(),
        });
        deps.metrics.messagesIn.value++;
        deps.metrics.storeAppend.observe({}, (performance.now() - started) / 1000);
        deps.bus.publish(stored);
      } catch (error) {
        storeFailed = true;
        logFailure("Cannot store message", error);
        end(CLOSE.INTERNAL_ERROR);
      }
    });
  });

  socket.addEventListener("close", () => {
    closed = true;
    cleanup();
  });

  return end;
}
