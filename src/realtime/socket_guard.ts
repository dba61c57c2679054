/**
 * The permission table at the socket's edges: {@linkcode SocketGuard.admit}
 * decides the handshake (a private room's non-member gets 403 `NOT_A_MEMBER`,
 * an anonymous reader 401, a banned user 403 `BANNED`, all before the
 * upgrade), and {@linkcode SocketGuard.watch} registers the open socket with
 * the control channel, so a kick, a ban, a revocation or a change of standing
 * reaches it on whichever node it is.
 *
 * @module
 */
import { refusalClose } from "../auth/permissions.ts";
import type { RoomAccess } from "../auth/room_access.ts";
import type { TokenClaims, TokenService } from "../auth/tokens.ts";
import type { CloseReason } from "../contract/mod.js";
import type { Logger } from "../log.ts";
import type { PublicUser } from "../model.ts";
import type { Control } from "./control.ts";

/** Dependencies of {@linkcode SocketGuard}. */
export interface SocketGuardOptions {
  readonly access: RoomAccess;
  readonly control: Control;
  readonly tokens: Pick<TokenService, "isRevoked">;
  readonly logger: Logger;
}

/** Admits sockets to rooms and keeps watch over them. */
export class SocketGuard {
  readonly #options: SocketGuardOptions;

  constructor(options: SocketGuardOptions) {
    this.#options = options;
  }

  /**
   * Decides whether a caller may join a room's socket.
   *
   * @throws {import("../errors.ts").AppError} the refusal's typed error (401 / 403)
   */
  async admit(user: PublicUser | undefined, room: string): Promise<void> {
    await this.#options.access.check(user, room, "read", `join room "${room}"`);
  }

  /**
   * Registers an open socket with the control channel.
   *
   * @param end closes the socket with a reason (idempotent)
   */
  watch(
    room: string,
    claims: TokenClaims | undefined,
    end: (close: CloseReason) => void,
  ): Watch {
    const { access, control, tokens, logger } = this.#options;
    let current = claims;
    const user = claims?.user;
    let rechecking = false;
    let again = false;
    const recheck = async () => {
      // One read at a time; a recheck asked for meanwhile runs once after it.
      if (rechecking) return void (again = true);
      rechecking = true;
      try {
        do {
          again = false;
          const standing = await access.standing(user, room);
          const revoked = current !== undefined && tokens.isRevoked(current);
          const refusal = access.decide(standing, "read", { revoked });
          if (refusal) return end(refusalClose(refusal));
        } while (again);
      } catch (error) {
        logger.warn("Cannot read a socket's standing again", { room, error });
      } finally {
        rechecking = false;
      }
    };
    const register = () =>
      control.register({
        room,
        userId: user?.id,
        token: current,
        close: end,
        recheck: () => void recheck(),
      });
    let unregister = register();
    return {
      retoken(fresh) {
        if (!user || fresh.user.id !== user.id) return;
        unregister();
        current = fresh;
        unregister = register();
      },
      dispose: () => unregister(),
    };
  }
}

/** A socket's registration with the control channel. */
export interface Watch {
  /**
   * The socket now holds a fresh token of the same user (a v2 `auth` frame):
   * revoking that token, not the first, closes it. Another user's is ignored.
   */
  retoken(claims: TokenClaims): void;
  /** Ends the registration, on the socket's close. */
  dispose(): void;
}
