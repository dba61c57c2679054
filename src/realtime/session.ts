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
import type { SessionHandle, SessionRegistry } from "./session_registry.ts";
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
  const session = new Session(socket, info, deps);
  return session.end.bind(session);
}

/**
 * One connection's state. A class rather than closures over locals: a server
 * holds tens of thousands of these, and its methods live once on the
 * prototype (the socket's listener is the session itself, via `handleEvent`).
 * It is the hub's member of the socket and the registry's handle of it.
 */
class Session implements Member, SessionHandle, EventListenerObject {
  readonly user: PublicUser | undefined;
  readonly batch: boolean;
  readonly version: ProtocolVersion;
  readonly #socket: WebSocket;
  readonly #room: string;
  /** The join's `since`; only read when the socket opens. */
  readonly #since: number | undefined;
  readonly #deps: SessionDeps;
  #socketId: string | undefined;
  #leave: (() => void) | undefined;
  #exitSignals: (() => void) | undefined;
  #closed = false;
  #tokenExp: number | undefined;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The requests in order; `undefined` until the first. */
  #chain: Promise<void> | undefined;
  #storeFailed = false;
  /** Made on the first message: most sockets only read. */
  #bucket: TokenBucket | undefined;
  #lastFrameAt = 0;
  /** Characters sent since the last look at the socket's unsent bytes. */
  #unchecked = 0;
  /**
   * Unsent bytes of the join's backlog, tolerated above the bound until they
   * drain: a backlog is written in one turn, before the runtime could send any of it.
   */
  #backlogAllowance = 0;

  constructor(socket: WebSocket, info: SessionInfo, deps: SessionDeps) {
    this.#socket = socket;
    this.#room = info.room;
    this.#since = info.since;
    this.#deps = deps;
    this.user = info.user;
    this.batch = info.batch;
    this.version = info.version ?? 1;
    this.#tokenExp = info.tokenExp;
    socket.addEventListener("open", this);
    socket.addEventListener("message", this);
    deps.registry?.add(this);
    socket.addEventListener("close", this);
  }

  /**
   * Names the socket across nodes (a `read` signal skips the socket that sent
   * it). Made when first asked for: most sockets never are.
   */
  get socketId(): string {
    return this.#socketId ??= crypto.randomUUID();
  }

  /** The session's socket (shutdown closes it). */
  get socket(): WebSocket {
    return this.#socket;
  }

  /** An anonymous, read-only reader. */
  get anonymous(): boolean {
    return !this.user;
  }

  /** Bytes written to the socket and not yet sent. */
  unsent(): number {
    const socket = this.#socket;
    return socket.readyState === WebSocket.OPEN ? socket.bufferedAmount : 0;
  }

  /** Settles once the session's requests in flight have. */
  settled(): Promise<unknown> {
    return this.#chain ?? Promise.resolve();
  }

  /** The socket's `open`, `message` and `close` events. */
  handleEvent(event: Event): void {
    if (event.type === "message") this.#onMessage(event as MessageEvent);
    else if (event.type === "open") this.#onOpen();
    else if (event.type === "close") this.#onClose();
  }

  /**
   * Writes one text frame.
   *
   * @param backlog part of the history or resume sent on join (see {@linkcode Member.send})
   */
  send(frame: string, backlog?: boolean): void {
    // The hub sends only after the socket opened; `closed` follows its close event.
    // Once shutdown began nothing more is written, so the close frame is next.
    if (this.#closed || this.#deps.registry?.quiet) return;
    const socket = this.#socket;
    socket.send(frame);
    this.#deps.metrics.framesOut.value++;
    // At most 3 UTF-8 bytes per UTF-16 unit.
    if (backlog) return void (this.#backlogAllowance += frame.length * 3);
    // Reading bufferedAmount crosses into the runtime: do it once per 64 KiB sent.
    if ((this.#unchecked += frame.length) < CHECK_BUFFER_EVERY) return;
    this.#unchecked = 0;
    const unsent = socket.bufferedAmount;
    // What has drained of the backlog is no longer allowed for.
    const allowance = this.#backlogAllowance = Math.min(this.#backlogAllowance, unsent);
    if (unsent > this.#deps.maxBufferedBytes + allowance) this.end(CLOSE.SLOW_CONSUMER);
  }

  /**
   * Stops the session at once, but sends the close frame only once the
   * client's frames already in flight have been read: Deno drops the
   * connection without the close frame (1006) when data frames arrive after
   * it has sent one. A client that keeps sending is closed after 1 s anyway.
   */
  end(close: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cleanup();
    this.#deps.metrics.closes.inc({ code: String(close.code), reason: close.reason });
    const socket = this.#socket;
    const endedAt = performance.now();
    const closeWhenQuiet = () => {
      const at = performance.now();
      if (at - this.#lastFrameAt < QUIET_MS && at - endedAt < MAX_CLOSE_DELAY_MS) {
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
  }

  #cleanup(): void {
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#leave?.();
    this.#leave = undefined;
    this.#exitSignals?.();
    this.#exitSignals = undefined;
  }

  /**
   * Closes the socket when the token's `exp` passes. Re-armed at most every
   * minute: Deno keeps a cleared timer's memory until its original due time,
   * and a day-long timer per socket would pile up.
   */
  #armExpiry(): void {
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (this.#tokenExp === undefined || this.#closed) return;
    const left = this.#tokenExp * 1000 - this.#deps.now();
    if (left <= 0) return this.end(CLOSE.TOKEN_EXPIRED);
    this.#expiryTimer = setTimeout(() => this.#armExpiry(), Math.min(left, 60_000));
  }

  /** An outage of the store is expected operation (warn); anything else is a bug (error). */
  #logFailure(message: string, error: unknown): void {
    const level = error instanceof StoreUnavailableError ? "warn" : "error";
    this.#deps.logger[level](message, { room: this.#room, error });
  }

  #onOpen(): void {
    if (this.#closed) return;
    this.#armExpiry();
    if (this.#closed) return;
    const room = this.#room;
    this.#exitSignals = this.#deps.signals.enter(room, this.user);
    this.#deps.rooms.join(room, this, { since: this.#since }).then(
      (dispose) => {
        if (this.#closed) return dispose();
        this.#leave = dispose;
        if (this.version === 2) this.#sendPresence();
      },
      (error) => {
        this.#logFailure("Cannot join room", error);
        this.end(CLOSE.INTERNAL_ERROR);
      },
    );
  }

  /** The room's `presence`, right after the history. */
  #sendPresence(): void {
    this.#deps.signals.snapshot(this.#room).then(
      (presence) => this.send(JSON.stringify([presence])),
      (error) => this.#logFailure("Cannot read a room's presence", error),
    );
  }

  /** Answers a v2 request that failed with an `error` event; the socket stays open. */
  #reply(error: { type: string; message: string }, nonce: string | undefined): void {
    this.send(errorEvent(error, nonce));
  }

  /** Runs `task` after the connection's earlier requests, in order. */
  #enqueue(task: () => Promise<void>): void {
    this.#chain = (this.#chain ?? Promise.resolve()).then(task);
  }

  #takeToken(): boolean {
    const deps = this.#deps;
    this.#bucket ??= new TokenBucket(deps.rateLimitBurst, deps.rateLimitPerSec, deps.now);
    return this.#bucket.take();
  }

  #onMessage(event: MessageEvent): void {
    this.#lastFrameAt = performance.now();
    // Once shutdown began frames are not taken: not stored, not acknowledged.
    if (this.#closed || this.#deps.registry?.quiet) return;
    const sender = this.user;
    if (!sender) return this.end(CLOSE.READ_ONLY);
    if (this.version === 2) return this.#onFrameV2(event.data, sender);
    const frame = parseClientFrame(event.data);
    if (frame.kind === "reject") return this.end(frame.close);
    if (!this.#takeToken()) return this.end(CLOSE.RATE_LIMITED);
    const deps = this.#deps;
    const room = this.#room;
    // One append at a time per connection keeps a sender's messages in its order.
    this.#enqueue(async () => {
      // After a failed append nothing later of this connection is stored:
      // the client resends from the one that failed, in order.
      if (this.#storeFailed) return;
      try {
        const started = performance.now();
        await deps.actions.post({ room, user: sender, text: frame.text, nonce: frame.nonce });
        deps.metrics.messagesIn.value++;
        deps.metrics.storeAppend.observe({}, (performance.now() - started) / 1000);
      } catch (error) {
        this.#storeFailed = true;
        // A v1 client has no error event: a refused post (the permission
        // hook's 4xx) closes with 1008 and the error's type as the reason.
        if (isReplyError(error)) return this.end(refusedClose(error));
        this.#logFailure("Cannot store message", error);
        this.end(CLOSE.INTERNAL_ERROR);
      }
    });
  }

  /** A v2 socket's frame: a command, run in order with the socket's others, or a close. */
  #onFrameV2(data: unknown, user: PublicUser): void {
    const deps = this.#deps;
    const frame = parseClientFrameV2(data);
    if (frame.kind === "reject") return this.end(frame.close);
    // Typing costs nothing to store and is throttled by the signals; a user
    // who may not post (muted, banned) is not shown typing either.
    if (frame.kind === "typing") {
      const room = this.#room;
      return deps.signals.typing(
        room,
        user,
        () => deps.actions.mayPost(room, user).then((may) => may && !this.#closed),
      );
    }
    const nonce = nonceOf(frame);
    if (!this.#takeToken()) {
      const message = "Cannot take the request: too many on this socket, slow down";
      return this.#reply({ type: "RATE_LIMITED", message }, nonce);
    }
    const context = {
      room: this.#room,
      user,
      socketId: this.socketId,
      actions: deps.actions,
      verifyToken: deps.verifyToken,
      refreshExpiry: (exp: number) => {
        this.#tokenExp = exp;
        this.#armExpiry();
      },
    };
    this.#enqueue(async () => {
      // As in v1: after the server failed a request nothing later is done.
      if (this.#storeFailed) return;
      const started = performance.now();
      try {
        await runCommand(frame, context);
        if (frame.kind === "send") {
          deps.metrics.messagesIn.value++;
          deps.metrics.storeAppend.observe({}, (performance.now() - started) / 1000);
        }
      } catch (error) {
        if (isReplyError(error)) return this.#reply(error, nonce);
        this.#storeFailed = true;
        this.#logFailure("Cannot complete a request", error);
        this.end(CLOSE.INTERNAL_ERROR);
      }
    });
  }

  #onClose(): void {
    this.#closed = true;
    this.#cleanup();
    this.#deps.registry?.closed(this);
  }
}

/**
 * The close of a v1 socket whose post was refused: the permission table's
 * close for its refusal (4001, 4003, 1008 `MUTED`), else 1008 and the error's type.
 */
function refusedClose(error: AppError): CloseReason {
  return closeOfRefusal(error) ?? { code: 1008, reason: error.type };
}
