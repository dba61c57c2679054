/**
 * The permission hook of the message actions: may this user post, edit or
 * delete in this room? {@linkcode RoomActions} asks it before every action
 * touches the store, over the socket and over REST alike.
 *
 * Only the default lives here ({@linkcode authorPolicy}: anyone signed in
 * may post, only a message's author may edit or delete it). The permission
 * module (roles, bans, mutes, private rooms, admins) implements
 * {@linkcode RoomPolicy} and is passed to `createApp` instead.
 *
 * @module
 */
import { ForbiddenError } from "../errors.ts";
import type { PublicUser, StoredMessage } from "../model.ts";

/** What a user asks to do in a room. */
export type RoomRequest =
  | { readonly action: "post"; readonly user: PublicUser; readonly room: string }
  | {
    readonly action: "edit" | "delete";
    readonly user: PublicUser;
    readonly room: string;
    /** The message as the store has it now. */
    readonly message: StoredMessage;
  };

/** Decides whether a user may do what it asks in a room. */
export interface RoomPolicy {
  /**
   * Resolves when the request is allowed.
   *
   * @throws {import("../errors.ts").AppError} a 4xx error when it is not: its
   *   `type` and `message` reach the client (a v2 `error` event, a REST
   *   envelope); `FORBIDDEN` by default, or the module's own (`MUTED`, …)
   */
  check(request: RoomRequest): Promise<void>;
}

/** The default: anyone signed in posts; only a message's author edits or deletes it. */
export const authorPolicy: RoomPolicy = {
  check(request) {
    if (request.action === "post" || request.message.sender.id === request.user.id) {
      return Promise.resolve();
    }
    const verb = request.action === "edit" ? "edit" : "delete";
    return Promise.reject(
      new ForbiddenError(
        "FORBIDDEN",
        `Cannot ${verb} message ${request.message.seq} of room "${request.room}": ` +
          "only its author may",
      ),
    );
  },
};
