/**
 * One room's stream of logged events, as this isolate follows it: the one
 * place that knows about positions in a room's log. It puts events from the
 * bus back into `seq` order (holding early ones, reading a gap from the log
 * when it lasts), drops duplicates, answers a join's history or `since`
 * resume (from the events it delivered when they cover it, else from the log),
 * and checks a quiet room against the log's last `seq`, so an event that was
 * stored but never reached the bus still arrives.
 *
 * A logged event is anything with a `seq` ({@linkcode StreamEvent}): a v1 chat
 * message today; v2's `edit` and `delete` share the room's counter and ride on
 * the same stream (an {@linkcode EventLog} over the store's event log).
 *
 * **Epoch.** A `seq` names an event only within one incarnation of the log.
 * The stream's {@linkcode RoomStream.epoch} numbers the incarnations it has
 * followed: 0 when opened, one more each time it finds the log behind its
 * cursor (the log's last `seq` below what this stream already delivered: the
 * database was wiped, or restored from an older copy). Then positions of the
 * old epoch mean nothing in the new one, and replaying from them would skip or
 * mislabel events, so the stream restarts: it drops its held events and
 * recent cache, moves its cursor to 0, tells its consumer through
 * {@linkcode RoomStreamOptions.onReset} (which resets its members' positions)
 * and delivers what the new log already holds. A {@linkcode Backlog} carries
 * the epoch it was read in; a consumer that finds the stream's epoch changed
 * reads it again rather than splice two logs together. The stream sees a reset
 * on its quiet check (after a reset nothing new can be delivered, so the room
 * is quiet) and on every history read from the log; a log that was wiped and
 * grew past the cursor before either cannot be told apart from the old one.
 *
 * @module
 */
import { HISTORY_ON_JOIN, MAX_RESUME } from "../contract/limits.js";
import type { ChatMessage } from "../model.ts";
import type { MessageQuery, Store } from "../store/store.ts";

/**
 * What a stream carries: any event of a room's log, which numbers them 1, 2,
 * 3… with no gaps (a chat message, or any of the model's `LoggedEvent`s).
 */
export interface StreamEvent {
  readonly seq: number;
}

/** Where a stream reads a room's log. */
export interface EventLog<E extends StreamEvent> {
  /** A page of the room's log, oldest first. */
  read(room: string, query: MessageQuery): Promise<E[]>;
  /** The room's highest `seq`, 0 when empty. */
  lastSeq(room: string): Promise<number>;
}

/** The log of chat messages a {@linkcode Store} keeps. */
export function messageLog(store: Pick<Store, "listMessages" | "lastSeq">): EventLog<ChatMessage> {
  return {
    read: (room, query) => store.listMessages(room, query),
    lastSeq: (room) => store.lastSeq(room),
  };
}

/** The default of {@linkcode RoomStreamOptions.recentKept}: enough for a join's history. */
const RECENT_KEPT = 100;

/** What a joining member is sent before the live stream. */
export interface Backlog<E> {
  /** Oldest first. */
  readonly events: E[];
  /** The member is up to date at this `seq`: live events at or below it are not for it. */
  readonly upTo: number;
  /** The epoch it was read in. */
  readonly epoch: number;
}

/** Options of {@linkcode RoomStream}. */
export interface RoomStreamOptions<E extends StreamEvent> {
  readonly room: string;
  readonly log: EventLog<E>;
  /** Called with each event once, in `seq` order. */
  readonly onEvent: (event: E) => void;
  /** The log was found reset; `epoch` is the new one. Called before its events are delivered. */
  readonly onReset?: (epoch: number) => void;
  /** Reports failures that have no caller to throw to (a failed gap read is tried again). */
  readonly onError?: (error: unknown) => void;
  /** How long an out-of-order event waits before the gap is read from the log; default 100. */
  readonly gapTimeoutMs?: number;
  /**
   * How often a room that delivered nothing is checked against the log's last
   * `seq`; default 5,000, 0 never checks.
   */
  readonly quietCheckMs?: number;
  /**
   * How many delivered events are kept to answer joins without the log (at
   * least this many, at most twice); default 100, 0 reads every join's
   * history from the log.
   */
  readonly recentKept?: number;
}

/** One room's ordered stream of logged events; see the module doc. */
export class RoomStream<E extends StreamEvent> {
  readonly #room: string;
  readonly #log: EventLog<E>;
  readonly #onEvent: (event: E) => void;
  readonly #options: RoomStreamOptions<E>;
  readonly #gapTimeoutMs: number;
  readonly #quietCheckMs: number;
  readonly #recentKept: number;
  /** Highest `seq` delivered in order; -1 until read from the log. */
  #cursor = -1;
  #epoch = 0;
  readonly #pending = new Map<number, E>();
  /** The latest events delivered, in `seq` order, without a gap, ending at the cursor. */
  #recent: E[] = [];
  #ready: Promise<void> | undefined;
  #gapTimer: ReturnType<typeof setTimeout> | undefined;
  #checkTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set by each delivery, cleared by each quiet check: a room that moves needs no check. */
  #moved = false;
  #closed = false;

  constructor(options: RoomStreamOptions<E>) {
    this.#options = options;
    this.#room = options.room;
    this.#log = options.log;
    this.#onEvent = options.onEvent;
    this.#gapTimeoutMs = options.gapTimeoutMs ?? 100;
    this.#quietCheckMs = options.quietCheckMs ?? 5_000;
    this.#recentKept = options.recentKept ?? RECENT_KEPT;
  }

  /** Highest `seq` delivered in order; -1 until opened. */
  get cursor(): number {
    return this.#cursor;
  }

  /** The log incarnation the cursor belongs to; see the module doc. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Reads where the log stands and starts the quiet checks. Events received
   * before it resolves are held, then delivered in order. Idempotent.
   *
   * @throws when the log's last `seq` cannot be read; the stream is unusable then
   */
  open(): Promise<void> {
    this.#ready ??= this.#log.lastSeq(this.#room).then((seq) => {
      if (this.#closed) return;
      this.#cursor = seq;
      this.#drain();
      this.#armCheck();
    });
    return this.#ready;
  }

  /**
   * Takes an event from the bus, in any order, possibly twice: delivers it
   * when it follows the cursor, holds it when it is early, drops a duplicate.
   */
  receive(event: E): void {
    if (this.#closed) return;
    if (this.#cursor < 0 || event.seq > this.#cursor + 1) {
      this.#pending.set(event.seq, event);
      if (this.#cursor >= 0) this.#armGap();
      return;
    }
    if (event.seq <= this.#cursor) return;
    this.#deliver(event);
    this.#drain();
  }

  /**
   * The history of a plain join (the latest {@linkcode HISTORY_ON_JOIN}) or
   * the resume after `since` (at most {@linkcode MAX_RESUME}).
   *
   * @throws when the log cannot be read
   */
  async backlog(since?: number): Promise<Backlog<E>> {
    await this.open();
    const epoch = this.#epoch;
    const cursor = this.#cursor;
    // A client that saw more than this isolate has delivered yet (it was on
    // another isolate or process) is answered by the log, which has it all.
    const ahead = since !== undefined && since > cursor;
    const cached = ahead ? undefined : this.#recentBacklog(since);
    if (cached) return { events: cached, upTo: cached.at(-1)?.seq ?? since ?? 0, epoch };
    const events = await this.#log.read(
      this.#room,
      since === undefined ? { limit: HISTORY_ON_JOIN } : { after: since, limit: MAX_RESUME },
    );
    const last = events.at(-1)?.seq;
    if (!ahead) {
      // The log holds at least what was delivered: a history ending below the cursor is a reset.
      this.#verify(last ?? since ?? 0, cursor, epoch);
      return { events, upTo: last ?? since ?? 0, epoch };
    }
    if (last !== undefined) return { events, upTo: last, epoch };
    // Nothing after `since`: the member is up to date at `since`, clamped to
    // the log's last seq (a client of a log that was reset is then not kept
    // from the next events).
    const lastSeq = await this.#log.lastSeq(this.#room);
    this.#verify(lastSeq, cursor, epoch);
    return { events, upTo: Math.min(since, lastSeq), epoch };
  }

  /** Stops the stream: timers cleared, nothing more delivered. */
  close(): void {
    this.#closed = true;
    if (this.#gapTimer !== undefined) clearTimeout(this.#gapTimer);
    if (this.#checkTimer !== undefined) clearTimeout(this.#checkTimer);
    this.#gapTimer = this.#checkTimer = undefined;
    this.#pending.clear();
    this.#recent = [];
  }

  #deliver(event: E): void {
    this.#cursor = event.seq;
    this.#moved = true;
    if (this.#recentKept > 0) {
      this.#recent.push(event);
      if (this.#recent.length >= 2 * this.#recentKept) this.#recent.splice(0, this.#recentKept);
    }
    this.#onEvent(event);
  }

  /** Delivers the held events that now follow the cursor. */
  #drain(): void {
    if (this.#pending.size === 0) return;
    for (const seq of [...this.#pending.keys()]) {
      if (seq <= this.#cursor) this.#pending.delete(seq);
    }
    let next = this.#pending.get(this.#cursor + 1);
    while (next && !this.#closed) {
      this.#pending.delete(next.seq);
      this.#deliver(next);
      next = this.#pending.get(this.#cursor + 1);
    }
    if (this.#pending.size > 0) this.#armGap();
    else if (this.#gapTimer !== undefined) {
      clearTimeout(this.#gapTimer);
      this.#gapTimer = undefined;
    }
  }

  /**
   * The backlog from the events this stream delivered, when they cover it;
   * `undefined` sends it to the log.
   */
  #recentBacklog(since: number | undefined): E[] | undefined {
    if (this.#recentKept === 0) return undefined;
    const recent = this.#recent;
    const first = recent.length > 0 ? recent[0]!.seq : this.#cursor + 1;
    const wanted = since === undefined
      ? Math.max(1, this.#cursor - HISTORY_ON_JOIN + 1)
      : Math.max(since + 1, this.#cursor - MAX_RESUME + 1);
    if (wanted < first) return undefined;
    return recent.slice(wanted - first);
  }

  #armGap(): void {
    if (this.#gapTimer !== undefined || this.#closed) return;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = undefined;
      if (this.#closed || this.#pending.size === 0) return;
      let first = Infinity;
      for (const seq of this.#pending.keys()) if (seq < first) first = seq;
      this.#fill(first).catch((error) => {
        this.#options.onError?.(error);
        this.#armGap();
      });
    }, this.#gapTimeoutMs);
  }

  /** Reads the events after the cursor and before `before` from the log, and delivers them. */
  async #fill(before: number): Promise<void> {
    const epoch = this.#epoch;
    const missing = await this.#log.read(this.#room, {
      after: this.#cursor,
      before,
      from: "oldest",
      limit: MAX_RESUME, // one gap fill reads at most a resume's worth
    });
    if (this.#closed || epoch !== this.#epoch) return;
    for (const event of missing) this.receive(event);
    this.#drain();
  }

  #armCheck(): void {
    if (this.#quietCheckMs <= 0 || this.#closed) return;
    this.#checkTimer = setTimeout(() => this.#check(), this.#quietCheckMs);
    Deno.unrefTimer(this.#checkTimer);
  }

  /** Delivers what the log holds past the cursor of a quiet room, or restarts on a reset. */
  #check(): void {
    this.#checkTimer = undefined;
    if (this.#closed) return;
    const moved = this.#moved;
    this.#moved = false;
    if (moved || this.#pending.size > 0) return this.#armCheck();
    const cursor = this.#cursor;
    const epoch = this.#epoch;
    this.#log.lastSeq(this.#room)
      .then((last) => {
        if (this.#closed || epoch !== this.#epoch) return;
        if (last < cursor) return this.#restart(last);
        if (last > cursor && this.#cursor === cursor) return this.#fill(last + 1);
      })
      .catch((error) => this.#options.onError?.(error))
      .finally(() => this.#armCheck());
  }

  /** Restarts the stream when `lastSeen`, read from the log after `cursor` was current, is below it. */
  #verify(lastSeen: number, cursor: number, epoch: number): void {
    if (lastSeen >= cursor || this.#closed || epoch !== this.#epoch) return;
    this.#restart(lastSeen).catch((error) => this.#options.onError?.(error));
  }

  /** A new epoch: forget the old log's positions and deliver the new log up to `last`. */
  #restart(last: number): Promise<void> {
    this.#epoch++;
    this.#cursor = 0;
    this.#pending.clear();
    this.#recent = [];
    if (this.#gapTimer !== undefined) clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
    this.#options.onReset?.(this.#epoch);
    return this.#fill(last + 1);
  }
}
