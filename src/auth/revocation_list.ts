/**
 * This isolate's copy of the revoked tokens (CONTRACT §7, logout and server
 * bans): read whole once, then refreshed from the store's feed every
 * `refreshMs` (2 s by default), so a revocation made by any isolate or
 * process is honoured here within a few seconds, and at once when it is made
 * here or heard on the control channel ({@linkcode RevocationList.apply}).
 * A check is two map lookups: nothing on the connect path reads the store.
 *
 * @module
 */
import type { ModerationStore, Revocation, TokenRef } from "../store/store.ts";

/** Options of {@linkcode RevocationList}. */
export interface RevocationListOptions {
  readonly store: Pick<ModerationStore, "revokeToken" | "revokeUserTokens" | "listRevocations">;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** How far back the first read goes: the token lifetime (older tokens have expired anyway). */
  readonly lookbackMs: number;
  /** Milliseconds between two reads of the feed; default 2,000. */
  readonly refreshMs?: number;
  /** Reports a failed refresh (the next one tries again). */
  readonly onError?: (error: unknown) => void;
}

/** Each read of the feed reaches this far before the previous one, for writes that landed late. */
const OVERLAP_MS = 10_000;

/** The revoked tokens, as this isolate knows them. */
export class RevocationList {
  readonly #options: RevocationListOptions;
  /** Revoked `jti` → when the token expires anyway. */
  readonly #tokens = new Map<string, number>();
  /** User id → every token of it issued before this is revoked. */
  readonly #users = new Map<number, number>();
  readonly #listeners = new Set<(revocation: Revocation) => void>();
  #loaded: Promise<void> | undefined;
  #lastRead: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #refreshing: Promise<void> | undefined;
  #closed = false;

  constructor(options: RevocationListOptions) {
    this.#options = options;
  }

  /** Resolves once the feed was read whole; a failed read is tried again by the next call. */
  ready(): Promise<void> {
    this.#loaded ??= this.refresh().catch((error) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  /** Starts refreshing every `refreshMs`; {@linkcode close} stops it. */
  start(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setInterval(() => {
      this.refresh().catch((error) => this.#options.onError?.(error));
    }, this.#options.refreshMs ?? 2000);
    Deno.unrefTimer(this.#timer);
  }

  /** Stops refreshing. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Whether a verified token is revoked, as far as this isolate knows. */
  isRevoked(token: TokenRef): boolean {
    if (token.jti !== undefined && this.#tokens.has(token.jti)) return true;
    const before = this.#users.get(token.userId);
    return before !== undefined && token.issuedAtMs < before;
  }

  /**
   * Learns one revocation (read from the feed, made here or heard on the
   * control channel), telling the listeners when it is news.
   *
   * @returns whether it revoked anything this list did not know of
   */
  apply(revocation: Revocation): boolean {
    if (revocation.kind === "token") {
      if (this.#tokens.has(revocation.jti)) return false;
      if (revocation.expiresAtMs <= this.#options.now()) return false;
      this.#tokens.set(revocation.jti, revocation.expiresAtMs);
    } else {
      const known = this.#users.get(revocation.userId);
      if (known !== undefined && known >= revocation.beforeMs) return false;
      this.#users.set(revocation.userId, revocation.beforeMs);
    }
    for (const listener of this.#listeners) listener(revocation);
    return true;
  }

  /**
   * Calls `listener` with each revocation this list learns of.
   *
   * @returns a disposer
   */
  onRevoked(listener: (revocation: Revocation) => void): () => void {
    const entry = (revocation: Revocation) => listener(revocation);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  /** Revokes one token in the store and here. */
  async revokeToken(jti: string, expiresAtMs: number): Promise<Revocation> {
    const atMs = this.#options.now();
    await this.#options.store.revokeToken(jti, expiresAtMs, atMs);
    const revocation: Revocation = { kind: "token", jti, expiresAtMs, atMs };
    this.apply(revocation);
    return revocation;
  }

  /** Revokes every token of a user issued before `beforeMs`, in the store and here. */
  async revokeUser(userId: number, beforeMs: number): Promise<Revocation> {
    await this.#options.store.revokeUserTokens(userId, beforeMs);
    const revocation: Revocation = { kind: "user", userId, beforeMs, atMs: beforeMs };
    this.apply(revocation);
    return revocation;
  }

  /** Reads the feed since the last read (with an overlap) and learns what it holds. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #read(): Promise<void> {
    const now = this.#options.now();
    const since = this.#lastRead === undefined
      ? now - this.#options.lookbackMs
      : Math.max(now - this.#options.lookbackMs, this.#lastRead - OVERLAP_MS);
    const revocations = await this.#options.store.listRevocations(since);
    this.#lastRead = now;
    for (const revocation of revocations) this.apply(revocation);
    this.#prune(now);
  }

  /** Forgets what can no longer matter: tokens past their expiry, cutoffs older than any token. */
  #prune(now: number): void {
    for (const [jti, expiresAt] of this.#tokens) if (expiresAt <= now) this.#tokens.delete(jti);
    const oldest = now - this.#options.lookbackMs;
    for (const [user, before] of this.#users) if (before <= oldest) this.#users.delete(user);
  }
}
