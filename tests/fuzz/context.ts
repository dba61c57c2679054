/**
 * What every fuzz case gets: where the server is, a random source, the tally,
 * token material and the shared input budget.
 *
 * @module
 */
import type { KnownCredentials } from "./bodies.ts";
import type { Rng } from "./random.ts";
import type { Tally } from "./tally.ts";
import type { TokenMaterial } from "./tokens.ts";

/** Mutable token material: tokens and users grow as the run signs people up. */
export interface LiveTokenMaterial extends TokenMaterial {
  readonly issued: string[];
  readonly userIds: number[];
}

/** The context of one fuzz worker. */
export interface FuzzContext {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly port: number;
  readonly rng: Rng;
  readonly tally: Tally;
  readonly tokens: LiveTokenMaterial;
  /** Credentials that were registered, shared by workers. */
  readonly known: KnownCredentials[];
  /** Valid room names the WebSocket and history cases reuse. */
  readonly rooms: readonly string[];
  /** How long one request or frame may take before it counts as a hang. */
  readonly timeoutMs: number;
  /** A pooled HTTP client, and one that opens a fresh connection per request. */
  readonly clients: { readonly pooled: Deno.HttpClient; readonly fresh: Deno.HttpClient };
  /** Counts `n` inputs as sent. */
  count(n?: number): void;
  /** Inputs left in the budget (may go below zero by a session's worth). */
  remaining(): number;
}

/** Adds to a shared list, keeping at most `max` items (oldest dropped). */
export function remember<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
