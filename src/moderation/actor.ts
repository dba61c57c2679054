/**
 * Who asks for a moderation action: a signed-in user, or the server API
 * (`X-API-Key`), which acts as a server admin and is recorded in the audit
 * log as nobody in particular (`actor: null`).
 *
 * @module
 */
import type { PublicUser } from "../model.ts";

/** A signed-in caller, or the server API. */
export type Actor =
  | { readonly kind: "user"; readonly user: PublicUser }
  | { readonly kind: "server" };

/** The server API as an actor. */
export const SERVER_ACTOR: Actor = Object.freeze({ kind: "server" });

/** A signed-in user as an actor. */
export function userActor(user: PublicUser): Actor {
  return { kind: "user", user };
}

/** The user an actor is, `undefined` for the server API. */
export function actorUser(actor: Actor): PublicUser | undefined {
  return actor.kind === "user" ? actor.user : undefined;
}
