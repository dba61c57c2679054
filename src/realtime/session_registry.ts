/**
 * The sessions of one isolate, as a whole: how shutdown quiets them before
 * the runtime closes their sockets, waits for what they were storing, and how
 * memory pressure sheds the anonymous ones.
 *
 * Why shutdown closes the sockets itself (measured, see docs/decisions.md
 * "Clean shutdown"): Deno drops a socket's TCP connection right after its
 * close frame (`server.shutdown()`, `deno serve` on a signal) or at the next
 * data frame it reads after `socket.close()`, without waiting for the
 * client's close frame. A client that is sending then writes into a closed
 * connection, the kernel resets it, the client's next write fails, and the
 * close frame it had not read yet is lost: it sees 1006. So shutdown first
 * quiets the sessions (no frames taken, nothing more written, Deno's buffers
 * drained, so the close frame is next on the wire), then closes every socket
 * with the closing handshake (`closing_handshake.ts`: reading on until the
 * client's close frame) and waits until they are closed, and only then shuts
 * the server down.
 *
 * @module
 */
import type { CloseReason } from "../contract/mod.js";
import { closeWithHandshake } from "./closing_handshake.ts";

/** What the registry needs of one session. */
export interface SessionHandle {
  /** The session's socket. */
  readonly socket: WebSocket;
  /** An anonymous, read-only reader. */
  readonly anonymous: boolean;
  /** Bytes written to the socket and not yet sent. */
  unsent(): number;
  /** Settles once the session's requests in flight (stores) have. */
  settled(): Promise<unknown>;
  /** Ends the session with a close. */
  end(close: CloseReason): void;
}

/** The longest shutdown waits for the sessions' unsent bytes to leave Deno's buffers. */
export const QUIET_MAX_MS = 500;
/** The longest shutdown waits for the clients' close frames. */
export const CLOSE_MAX_MS = 1000;
/**
 * Under `deno serve`, how long before SIGTERM a launcher sends SIGUSR2 (the
 * isolates close their sockets themselves): the most that close takes.
 */
export const STOP_NOTICE_MS = QUIET_MAX_MS + CLOSE_MAX_MS + 100;

/** Resolves once `done()` holds (looked at every 5 ms), or after `maxMs`. */
async function until(done: () => boolean, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (!done() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every live session of one isolate. */
export class SessionRegistry {
  /** Sessions from their start until their socket closed and their stores settled. */
  readonly #sessions = new Set<SessionHandle>();
  /** The ones whose socket is not closed yet. */
  readonly #open = new Set<SessionHandle>();
  #quiet = false;

  /** True once shutdown began: sessions take no more frames and write nothing more. */
  get quiet(): boolean {
    return this.#quiet;
  }

  /** Sessions whose socket is not closed yet (the open connections). */
  get open(): number {
    return this.#open.size;
  }

  /** Registers a session as it starts. */
  add(handle: SessionHandle): void {
    this.#sessions.add(handle);
    this.#open.add(handle);
  }

  /**
   * Notes that a session's socket closed; the session stays registered until
   * what it was storing settled, so shutdown waits for it.
   */
  closed(handle: SessionHandle): void {
    if (!this.#open.delete(handle)) return;
    const forget = () => this.#sessions.delete(handle);
    handle.settled().then(forget, forget);
  }

  /** Ends every open session with `close`. */
  endAll(close: CloseReason): void {
    for (const session of [...this.#open]) session.end(close);
  }

  /** Resolves once no socket is open, or after `maxMs`. */
  allClosed(maxMs: number): Promise<void> {
    return until(() => this.#open.size === 0, maxMs);
  }

  /** Ends every anonymous session with `close`; returns how many. */
  shedAnonymous(close: CloseReason): number {
    let shed = 0;
    for (const session of [...this.#open]) {
      if (!session.anonymous) continue;
      session.end(close);
      shed++;
    }
    return shed;
  }

  /**
   * Quiets every session (no more frames taken, nothing more written) and
   * resolves once their unsent bytes have left, or after `maxMs`.
   */
  quietDown(maxMs: number): Promise<void> {
    this.#quiet = true;
    return until(() => [...this.#open].every((session) => session.unsent() === 0), maxMs);
  }

  /**
   * Quiets every session and closes its open socket with `close`, keeping to
   * the closing handshake; resolves once every one of them is closed, or
   * after `maxMs` (a client that stopped reading never answers).
   */
  async closeAll(close: CloseReason, maxMs: number): Promise<void> {
    this.#quiet = true;
    const sockets: WebSocket[] = [];
    for (const session of this.#open) {
      if (closeWithHandshake(session.socket, close.code, close.reason)) {
        sockets.push(session.socket);
      }
    }
    await until(() => sockets.every((s) => s.readyState === WebSocket.CLOSED), maxMs);
  }

  /** Quiets every session and waits for their requests in flight, at most `maxMs`. */
  async settle(maxMs: number): Promise<void> {
    this.#quiet = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const all = Promise.allSettled([...this.#sessions].map((s) => s.settled()));
    await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }
}
