/**
 * The gate of a room's REST reads (history, room info, the user list),
 * over the permission table's `read`:
 *
 * - a public room is read by anyone, as in v1: without a token, or with one
 *   that is not valid (it is not needed), the read is allowed and costs one
 *   store read; with a valid token, the table decides, so a user banned from
 *   the room gets 403 `BANNED` (as its socket handshake does);
 * - a private room needs a member's (or an admin's) valid token: 401
 *   `INVALID_AUTH_TOKEN` without one, 403 `NOT_A_MEMBER` for anyone else,
 *   403 `BANNED` for a banned member.
 *
 * @module
 */
import type { Context } from "hono";
import type { RoomAccess } from "../auth/room_access.ts";
import type { TokenService } from "../auth/tokens.ts";
import { AuthError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { AppEnv } from "./env.ts";
import { optionalClaims } from "./request_auth.ts";

/** Resolves when the caller may read the room; rejects with the refusal's typed error. */
export type RoomReadGate = (c: Context<AppEnv>, room: string) => Promise<void>;

/** The user of a valid bearer token, `undefined` without one or for one that is not valid. */
async function validUser(
  c: Context<AppEnv>,
  tokens: TokenService,
): Promise<PublicUser | undefined> {
  try {
    return (await optionalClaims(c, tokens))?.user;
  } catch (error) {
    if (error instanceof AuthError) return undefined;
    throw error;
  }
}

/** The gate over the permission table's `read`. */
export function roomReadGate(access: RoomAccess, tokens: TokenService): RoomReadGate {
  return async (c, room) => {
    const what = `read room "${room}"`;
    const visitor = await access.standing(undefined, room);
    if (visitor.visibility === "public") {
      const user = await validUser(c, tokens);
      if (user) await access.check(user, room, "read", what);
      return;
    }
    const claims = await optionalClaims(c, tokens);
    await access.check(claims?.user, room, "read", what);
  };
}
