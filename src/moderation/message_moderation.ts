/**
 * Deleting messages as a moderator and the server API's messages, on the
 * message service ({@linkcode RoomActions}): a user's delete goes through the
 * service with the permission table as its policy; the server API's post and
 * delete go through a service whose policy allows them (the key is the
 * authority), as a bot user. A delete of someone else's message is recorded
 * in the audit log.
 *
 * @module
 */
import type { RoomAccess } from "../auth/room_access.ts";
import type { RoomActions } from "../chat/room_actions.ts";
import type { DeleteEvent, LoggedMessage, PublicUser } from "../model.ts";
import type { Store } from "../store/store.ts";
import { SERVER_ACTOR, userActor } from "./actor.ts";
import type { AuditLog } from "./audit_log.ts";
import type { BotAccounts } from "./bot_accounts.ts";

/** Dependencies of {@linkcode MessageModeration}. */
export interface MessageModerationOptions {
  readonly store: Pick<Store, "findMessage">;
  readonly access: RoomAccess;
  /** The message service of users (the permission table as its policy). */
  readonly actions: Pick<RoomActions, "remove">;
  /** The message service of the server API (a policy that allows). */
  readonly serverActions: Pick<RoomActions, "post" | "remove">;
  readonly bots: BotAccounts;
  readonly audit: AuditLog;
}

/** Message deletes by users and the server API's posts and deletes. */
export class MessageModeration {
  readonly #options: MessageModerationOptions;

  constructor(options: MessageModerationOptions) {
    this.#options = options;
  }

  /**
   * Deletes a message as a user: its author, the room's owner or moderators,
   * a server admin. A private room's non-member is refused before it can learn
   * whether the message exists.
   */
  async deleteAsUser(user: PublicUser, room: string, target: number): Promise<DeleteEvent> {
    const { access, store, actions } = this.#options;
    await access.check(user, room, "read", `delete message ${target} of room "${room}"`);
    const message = await store.findMessage(room, target);
    const event = await actions.remove({ room, user, target });
    if (message && message.sender.id !== user.id) {
      await this.#audit(userActor(user), room, target, message.sender.id);
    }
    return event;
  }

  /** Posts a message into any room as the named bot. */
  async postAsBot(bot: string, room: string, text: string): Promise<LoggedMessage> {
    const user = await this.#options.bots.resolve(bot);
    return await this.#options.serverActions.post({ room, user, text });
  }

  /** Deletes any message, the delete event naming the bot as who deleted it. */
  async deleteAsBot(bot: string, room: string, target: number): Promise<DeleteEvent> {
    const user = await this.#options.bots.resolve(bot);
    const message = await this.#options.store.findMessage(room, target);
    const event = await this.#options.serverActions.remove({ room, user, target });
    await this.#audit(SERVER_ACTOR, room, target, message?.sender.id);
    return event;
  }

  async #audit(
    actor: typeof SERVER_ACTOR,
    room: string,
    seq: number,
    authorId: number | undefined,
  ): Promise<void> {
    await this.#options.audit.record({
      actor,
      action: "message.delete",
      targetUserId: authorId,
      room,
      detail: { seq },
    });
  }
}
