/**
 * What every part of the store contract shares: the factory type, a settable
 * clock, scoped stores, input builders and error matchers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { canonicalUsername } from "../../../src/auth/username.ts";
import { AppError, StoreUnavailableError } from "../../../src/errors.ts";
import type { ChatMessage, LoggedEvent, NewMessage, PublicUser } from "../../../src/model.ts";
import type { NewUser, Store } from "../../../src/store/store.ts";

/** What a contract run passes to its factory. */
export interface StoreFactoryOptions {
  /** The store's clock, milliseconds since the epoch. */
  readonly now: () => number;
}

/** Opens a fresh, empty store. */
export type StoreFactory = (options: StoreFactoryOptions) => Promise<Store>;

/** Registers one test of the contract, its name prefixed with the backend's. */
export type ContractTest = (what: string, fn: () => Promise<void>) => void;

/** A settable clock for presence expiry. */
export class FakeClock {
  /** Milliseconds since the epoch. */
  ms: number;
  constructor(start = Date.now()) {
    this.ms = start;
  }
  /** The clock as a `now()` function. */
  readonly now = (): number => this.ms;
}

/** A store that closes itself when the test's scope ends. */
export async function openScoped(
  open: StoreFactory,
  now: () => number = Date.now,
): Promise<{ store: Store } & AsyncDisposable> {
  const store = await open({ now });
  return { store, [Symbol.asyncDispose]: () => store.close() };
}

/** The time every builder below stamps by default: 2025-11-24T16:00:00.123Z. */
export const T0 = 1_764_000_000_123;

/** A message to append, sent by user 1 unless told otherwise. */
export function newMessage(room: string, fields: Partial<NewMessage> = {}): NewMessage {
  return {
    id: crypto.randomUUID(),
    room,
    sender: { id: 1, username: "alice" },
    text: "hello",
    createdAtMs: T0,
    ...fields,
  };
}

/** A user to create, with the canonical form computed as the accounts service does. */
export function newUser(username: string, passwordHash = "hash"): NewUser {
  return { username, canonical: canonicalUsername(username), passwordHash };
}

/** Creates users by name, in order. */
export async function createUsers(store: Store, ...names: string[]): Promise<PublicUser[]> {
  const out: PublicUser[] = [];
  for (const name of names) out.push(await store.createUser(newUser(name)));
  return out;
}

/** Appends `count` messages `m1`, `m2`, … to a room, one at a time. */
export async function appendMany(
  store: Store,
  room: string,
  count: number,
  fields: Partial<NewMessage> = {},
): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (let i = 1; i <= count; i++) {
    out.push(await store.appendMessage(newMessage(room, { text: `m${i}`, ...fields })));
  }
  return out;
}

/** The `seq` of each entry. */
export const seqs = (entries: readonly { seq: number }[]): number[] => entries.map((m) => m.seq);

/** `[from, from + 1, …, to]`. */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** `type:seq` of each event, e.g. `message:1`, `edit:3`. */
export const kinds = (events: readonly LoggedEvent[]): string[] =>
  events.map((e) => `${e.type}:${e.seq}`);

/** Matches a typed domain error of that status and type. */
export function isAppError(status: number, type: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AppError, `expected an AppError ${type}, got ${error}`);
    assert.equal(error.type, type);
    assert.equal(error.status, status);
    return true;
  };
}

/** Matches a 409 `ConflictError` of that type. */
export const isConflict = (type: string) => isAppError(409, type);

/** Matches a 404 of that type. */
export const isNotFound = (type: string) => isAppError(404, type);

/** Matches a 503 `STORE_UNAVAILABLE`. */
export function isUnavailable(error: unknown): boolean {
  assert.ok(error instanceof StoreUnavailableError, `expected StoreUnavailableError, got ${error}`);
  assert.equal(error.type, "STORE_UNAVAILABLE");
  assert.equal(error.status, 503);
  return true;
}
