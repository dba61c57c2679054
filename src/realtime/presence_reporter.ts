/**
 * Writes this node's members of each room to the store, so presence is right
 * across isolates and processes. Entries are refreshed while members stay and
 * lapse after a TTL when a node dies.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import type { Member } from "./hub.ts";
import type { PublicUser } from "../model.ts";

/** Dependencies of {@linkcode PresenceReporter}. */
export interface PresenceReporterOptions {
  store: Pick<Store, "putPresence" | "clearPresence">;
  /** This node's id, unique per isolate. */
  node: string;
  /** The current local members of a room. */
  members: (room: string) => Member[];
  /** The rooms with local members. */
  rooms: () => Iterable<string>;
  logger: Logger;
  /** How long an entry lives unless refreshed. */
  ttlMs?: number;
  /** How often live entries are refreshed. */
  refreshMs?: number;
  /** How long changes gather before one write per room (a connect storm writes once). */
  flushDelayMs?: number;
}

/** Reports local presence to the store. */
export class PresenceReporter {
  readonly #options: PresenceReporterOptions;
  readonly #ttlMs: number;
  readonly #dirty = new Set<string>();
  /** What was last written per room, so unchanged rooms are not written again. */
  readonly #written = new Map<string, string>();
  readonly #flushDelayMs: number;
  /** The next flush rewrites every dirty room, changed or not (the TTL refresh). */
  #refreshDue = false;
  #flushScheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #interval: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: PresenceReporterOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#flushDelayMs = options.flushDelayMs ?? 100;
    this.#interval = setInterval(() => {
      for (const room of options.rooms()) this.#dirty.add(room);
      this.#refreshDue = true;
      this.#schedule();
    }, options.refreshMs ?? 10_000);
  }

  /** Marks a room's local members as changed; the write is coalesced per turn. */
  changed(room: string): void {
    if (this.#closed) return;
    this.#dirty.add(room);
    this.#schedule();
  }

  /** Resolves once every change so far is written. */
  flushed(): Promise<void> {
    return this.#chain;
  }

  #schedule(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setTimeout(() => {
      this.#flushScheduled = false;
      if (this.#closed) return;
      const rooms = [...this.#dirty];
      const force = this.#refreshDue;
      this.#dirty.clear();
      this.#refreshDue = false;
      this.#chain = this.#chain.then(() => this.#write(rooms, force));
    }, this.#flushDelayMs);
  }

  async #write(rooms: string[], force: boolean): Promise<void> {
    for (const room of rooms) {
      const users = new Map<number, PublicUser>();
      let anonymous = 0;
      for (const member of this.#options.members(room)) {
        if (member.user) users.set(member.user.id, member.user);
        else anonymous++;
      }
      const summary = `${anonymous}:${[...users.keys()].join(",")}`;
      if (!force && this.#written.get(room) === summary) continue;
      try {
        await this.#options.store.putPresence(
          this.#options.node,
          room,
          { users: [...users.values()], anonymous },
          this.#ttlMs,
        );
        if (users.size === 0 && anonymous === 0) this.#written.delete(room);
        else this.#written.set(room, summary);
      } catch (error) {
        this.#options.logger.warn("Cannot write presence", { room, error });
      }
    }
  }

  /** Stops refreshing and removes this node's entries. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#interval);
    await this.#chain;
    try {
      await this.#options.store.clearPresence(this.#options.node);
    } catch (error) {
      this.#options.logger.warn("Cannot clear presence", { error });
    }
  }
}
