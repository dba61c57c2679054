/**
 * The sessions of one isolate, as a whole: how shutdown quiets them before
 * the runtime closes their sockets, waits for what they were storing, and how
 * memory pressure sheds the anonymous ones.
 *
 * Why shutdown goes quiet first: Deno drops a connection without a close frame
 * (the client sees 1006) when its peer's data frames arrive after the server's
 * own close frame, so a client that is sending cannot be closed cleanly from
 * JavaScript. Deno's server shutdown (`server.shutdown()`, and `deno serve` on
 * a signal) closes every socket with 1001 from the runtime, reading until the
 * client's close frame; it reaches a client in time when nothing else is
 * queued ahead of its close frame. So the sessions stop taking frames and stop
 * writing, their unsent bytes drain, and only then is the server shut down.
 *
 * @module
 */
import type { CloseReason } from "../contract/mod.js";

/** What the registry needs of one session. */
export interface SessionHandle {
  /** An anonymous, read-only reader. */
  readonly anonymous: boolean;
  /** Bytes written to the socket and not yet sent. */
  unsent(): number;
  /** Settles once the session's requests in flight (stores) have. */
  settled(): Promise<unknown>;
  /** Ends the session with a close. */
  end(close: CloseReason): void;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every live session of one isolate. */
export class SessionRegistry {
  readonly #sessions = new Set<SessionHandle>();
  #quiet = false;

  /** True once shutdown began: sessions take no more frames and write nothing more. */
  get quiet(): boolean {
    return this.#quiet;
  }

  /** Live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Registers a session; returns the function that removes it again. */
  add(handle: SessionHandle): () => void {
    this.#sessions.add(handle);
    return () => this.#sessions.delete(handle);
  }

  /** Ends every anonymous session with `close`; returns how many. */
  shedAnonymous(close: CloseReason): number {
    let shed = 0;
    for (const session of [...this.#sessions]) {
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
  async quietDown(maxMs: number): Promise<void> {
    this.#quiet = true;
    const deadline = performance.now() + maxMs;
    while (performance.now() < deadline) {
      let unsent = 0;
      for (const session of this.#sessions) unsent += session.unsent();
      if (unsent === 0) return;
      await tick(5);
    }
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
