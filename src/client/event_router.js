// @ts-self-types="../client/event_router.d.ts"
/**
 * Where each event of a room connection goes: logged events (in `seq`
 * order, from recovery) to their listeners and to the request they answer;
 * ephemeral v2 events to their listeners; a v2 `error` event to the request
 * with its nonce, or to the `error` listeners when none waits for it.
 *
 * @module
 */
import { isLoggedEvent } from "../contract/mod.js";
import { ReplyError } from "../client/errors.js";
import { isServerEvent } from "../client/server_events.js";

/**
 * @import { ServerEvent } from "../contract/mod.js"
 * @import { Listeners } from "../client/listeners.js"
 * @import { PendingReplies } from "../client/pending_replies.js"
 * @import { Sequenced } from "../client/recovery.js"
 * @import { RoomEventMap } from "../client/types.js"
 */

/** Routes one room connection's events. */
export class EventRouter {
  /** @type {Listeners<RoomEventMap>} */
  #listeners;
  /** @type {PendingReplies} */
  #pending;
  /** @type {number | undefined} */
  #userId;
  #v2;
  /** @type {(values: unknown[]) => void} */
  #sequenced;

  /**
   * @param {object} init
   * @param {boolean} init.v2 whether frames hold v2 events (else v1 messages)
   * @param {Listeners<RoomEventMap>} init.listeners
   * @param {PendingReplies} init.pending
   * @param {number | undefined} init.userId the signed-in user, whose requests are answered
   * @param {(values: unknown[]) => void} init.sequenced takes messages and logged events
   *   to put in `seq` order (recovery), which hands them back to {@linkcode EventRouter.logged}
   */
  constructor(init) {
    this.#v2 = init.v2;
    this.#listeners = init.listeners;
    this.#pending = init.pending;
    this.#userId = init.userId;
    this.#sequenced = init.sequenced;
  }

  /**
   * Takes the values of one server frame: v1 messages all go to recovery; of
   * v2 events, logged ones go to recovery and ephemeral ones straight out.
   *
   * @param {unknown[]} values
   * @returns {void}
   */
  frame(values) {
    if (!this.#v2) return this.#sequenced(values);
    for (const value of values) {
      if (!isServerEvent(value)) continue;
      if (isLoggedEvent(value)) this.#sequenced([value]);
      else this.ephemeral(value);
    }
  }

  /**
   * Delivers one message (v1) or logged event (v2), in `seq` order, and
   * settles the request it answers when it is this user's.
   *
   * @param {Sequenced} value
   * @returns {void}
   */
  logged(value) {
    const me = this.#userId;
    if (!("type" in value) || value.type === "message") {
      this.#listeners.emit("message", value);
      if (me === undefined || value.sender.id === me) {
        this.#pending.resolve("message", value.nonce, value);
      }
    } else if (value.type === "edit") {
      this.#listeners.emit("edit", value);
      if (value.sender.id === me) this.#pending.resolve("edit", value.nonce, value);
    } else {
      this.#listeners.emit("delete", value);
      if (value.by.id === me) this.#pending.resolve("delete", value.nonce, value);
    }
  }

  /**
   * Delivers one ephemeral v2 event.
   *
   * @param {Exclude<ServerEvent, Sequenced>} event
   * @returns {void}
   */
  ephemeral(event) {
    if (event.type !== "error") {
      // The map's key and the event's type agree: `presence` gets a PresenceEvent, …
      return this.#listeners.emit(event.type, /** @type {any} */ (event));
    }
    const error = new ReplyError(event.error.type, event.error.message, event.nonce);
    if (!this.#pending.reject(event.nonce, error)) this.#listeners.emit("error", error);
  }
}
