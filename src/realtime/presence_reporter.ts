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
}

/** Reports local presence to the store. */
export class PresenceReporter {
  readonly #options: PresenceReporterOptions;
  readonly #ttlMs: number;
  readonly #dirty = new Set<string>();
  #flushScheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #interval: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: PresenceReporterOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#interval = setInterval(() => {
      for (const room of options.rooms()) this.#dirty.add(room);
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
      this.#dirty.clear();
      this.#chain = this.#chain.then(() => this.#write(rooms));
    }, 0);
  }

  async #write(rooms: string[]): Promise<void> {
    for (const room of rooms) {
      const users = new Map<number, PublicUser>();
      let anonymous = 0;
      for (const member of this.#options.members(room)) {
        if (member.user) users.set(member.user.id, member.user);
        else anonymous++;
      }
      try {
        await this.#options.store.putPresence(
          this.#options.node,
          room,
          { users: [...users.values()], anonymous },
          this.#ttlMs,
        );
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
