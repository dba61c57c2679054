/**
 * What a v2 socket's frames do once parsed (`protocol.ts`): each command goes
 * to the message service or the socket's own state. A command that fails
 * for a reason the client can act on throws a 4xx
 * {@linkcode import("../errors.ts").AppError}, which the session answers with
 * an {@linkcode errorEvent}; anything else is the server's failure.
 *
 * @module
 */
import type { TokenClaims } from "../auth/tokens.ts";
import type { RoomActions } from "../chat/room_actions.ts";
import { AppError, ForbiddenError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { ClientFrameV2 } from "./protocol.ts";

/** A v2 frame that becomes a command (typing and rejected frames are handled by the session). */
export type Command = Exclude<ClientFrameV2, { kind: "reject" } | { kind: "typing" }>;

/** Where a socket's commands act. */
export interface CommandContext {
  readonly room: string;
  readonly user: PublicUser;
  /** The socket's id: its own `read` is not echoed to it. */
  readonly socketId: string;
  readonly actions: RoomActions;
  /** Verifies a token as the handshake does. */
  readonly verifyToken: (token: string) => Promise<TokenClaims>;
  /** Moves the socket's token expiry to `exp` (Unix seconds). */
  readonly refreshExpiry: (exp: number) => void;
}

/**
 * Runs one command.
 *
 * @throws {AppError} a 4xx error to answer with an `error` event
 */
export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  const { room, user, actions } = ctx;
  switch (command.kind) {
    case "send":
      await actions.post({
        room,
        user,
        text: command.text,
        nonce: command.nonce,
        replyTo: command.replyTo,
      });
      return;
    case "edit":
      await actions.edit({
        room,
        user,
        target: command.target,
        text: command.text,
        nonce: command.nonce,
      });
      return;
    case "delete":
      await actions.remove({ room, user, target: command.target, nonce: command.nonce });
      return;
    case "read":
      await actions.markRead(room, user, command.seq, ctx.socketId);
      return;
    case "auth": {
      const claims = await ctx.verifyToken(command.token);
      if (claims.user.id !== user.id) {
        throw new ForbiddenError(
          "FORBIDDEN",
          "Cannot refresh the socket's token: the token is another user's",
        );
      }
      ctx.refreshExpiry(claims.exp);
      return;
    }
  }
}

/** The `nonce` of a command, when it has one. */
export function nonceOf(command: ClientFrameV2): string | undefined {
  return "nonce" in command ? command.nonce : undefined;
}

/** Whether a failure is answered with an `error` event (a 4xx) rather than closing. */
export function isReplyError(error: unknown): error is AppError {
  return error instanceof AppError && error.status < 500;
}

/** The v2 `error` event of a failed request, encoded. */
export function errorEvent(error: { type: string; message: string }, nonce?: string): string {
  const body = { type: error.type, message: error.message };
  return JSON.stringify([
    nonce === undefined ? { type: "error", error: body } : { type: "error", nonce, error: body },
  ]);
}
