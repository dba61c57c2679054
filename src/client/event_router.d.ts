/**
 * Where each event of a room connection goes: logged events (in `seq`
 * order, from recovery) to their listeners and to the request they answer;
 * ephemeral v2 events to their listeners; a v2 `error` event to the request
 * with its nonce, or to the `error` listeners when none waits for it.
 *
 * @module
 */
/** Routes one room connection's events. */
export class EventRouter {
  /**
   * @param {object} init
   * @param {boolean} init.v2 whether frames hold v2 events (else v1 messages)
   * @param {Listeners<RoomEventMap>} init.listeners
   * @param {PendingReplies} init.pending
   * @param {number | undefined} init.userId the signed-in user, whose requests are answered
   * @param {(values: unknown[]) => void} init.sequenced takes messages and logged events
   *   to put in `seq` order (recovery), which hands them back to {@linkcode EventRouter.logged}
   */
  constructor(init: {
    v2: boolean;
    listeners: Listeners<RoomEventMap>;
    pending: PendingReplies;
    userId: number | undefined;
    sequenced: (values: unknown[]) => void;
  });
  /**
   * Takes the values of one server frame: v1 messages all go to recovery; of
   * v2 events, logged ones go to recovery and ephemeral ones straight out.
   *
   * @param {unknown[]} values
   * @returns {void}
   */
  frame(values: unknown[]): void;
  /**
   * Delivers one message (v1) or logged event (v2), in `seq` order, and
   * settles the request it answers when it is this user's.
   *
   * @param {Sequenced} value
   * @returns {void}
   */
  logged(value: Sequenced): void;
  /**
   * Delivers one ephemeral v2 event.
   *
   * @param {Exclude<ServerEvent, Sequenced>} event
   * @returns {void}
   */
  ephemeral(event: Exclude<ServerEvent, Sequenced>): void;
  #private;
}
import type { Sequenced } from "../client/recovery.js";
import type { ServerEvent } from "../contract/mod.js";
import type { RoomEventMap } from "../client/types.js";
import type { Listeners } from "../client/listeners.js";
import type { PendingReplies } from "../client/pending_replies.js";
