/**
 * The private-room gate of the REST reads (history, room info, the user
 * list): a public room costs one store read and looks at no token, so v1
 * clients see exactly what they always did; a private room needs a member's
 * (or an admin's) valid token: 401 `INVALID_AUTH_TOKEN` without one, 403
 * `NOT_A_MEMBER` for anyone else.
 *
 * @module
 */
import type { Context } from "hono";
import type { RoomAccess } from "../auth/room_access.ts";
import type { TokenService } from "../auth/tokens.ts";
import type { AppEnv } from "./env.ts";
import { optionalClaims } from "./request_auth.ts";

/** Resolves when the caller may read the room; rejects with the refusal's typed error. */
export type RoomReadGate = (c: Context<AppEnv>, room: string) => Promise<void>;

/** The gate over the permission table's `read`. */
export function roomReadGate(access: RoomAccess, tokens: TokenService): RoomReadGate {
  return async (c, room) => {
    const visitor = await access.standing(undefined, room);
    if (visitor.visibility === "public") return;
    const claims = await optionalClaims(c, tokens);
    await access.check(claims?.user, room, "read", `read room "${room}"`);
  };
}
