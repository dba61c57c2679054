/**
 * The message service: every change a user makes to a room goes through
 * here, from the socket session and from REST alike, in one order:
 * the text rules and the permission hook ({@linkcode RoomPolicy}), then the
 * store, then the bus (a logged event rides the room's stream; a read is an
 * ephemeral signal). Nothing reaches the bus that the store refused.
 *
 * @module
 */
import { MAX_TEXT_CHARS, textFault } from "../contract/mod.js";
import { NotFoundError, ValidationError } from "../errors.ts";
import {
  type DeleteEvent,
  type LoggedEvent,
  type LoggedMessage,
  type PublicUser,
  type StoredMessage,
  toLoggedMessage,
} from "../model.ts";
import type { EditResult, Store } from "../store/store.ts";
import type { RoomPolicy } from "./room_policy.ts";

/** Dependencies of {@linkcode RoomActions}. */
export interface RoomActionsDeps {
  readonly store: Pick<
    Store,
    "appendMessage" | "findMessage" | "editMessage" | "deleteMessage" | "setLastRead"
  >;
  /** Where logged events are published (every node's room streams). */
  readonly bus: { publish(event: LoggedEvent): void };
  /** Where a read is told to the reader's other sockets (`Signals.read`). */
  readonly reads: { read(room: string, user: PublicUser, seq: number, origin?: string): void };
  readonly policy: RoomPolicy;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Message ids. */
  readonly newId: () => string;
}

/** A new message. */
export interface PostRequest {
  readonly room: string;
  readonly user: PublicUser;
  readonly text: string;
  readonly nonce?: string;
  /** The `seq` of the message of the room it answers. */
  readonly replyTo?: number;
}

/** A change to one message, `target`. */
export interface TargetRequest {
  readonly room: string;
  readonly user: PublicUser;
  readonly target: number;
  readonly nonce?: string;
}

/**
 * Checks a message's text.
 *
 * @param action what is being done, for the message (`send the message`, `edit message 4`)
 * @throws {ValidationError} `BAD_TEXT` when it is blank, too long or malformed
 */
function checkText(text: string, action: string): void {
  const fault = textFault(text);
  if (fault === undefined) return;
  const why = fault === "BLANK"
    ? "text is empty"
    : fault === "TOO_LONG"
    ? `text is longer than ${MAX_TEXT_CHARS} characters`
    : "text has broken characters";
  throw new ValidationError("BAD_TEXT", `Cannot ${action}: ${why}`);
}

/** Posts, edits, deletes and marks read; see the module doc. */
export class RoomActions {
  readonly #deps: RoomActionsDeps;

  constructor(deps: RoomActionsDeps) {
    this.#deps = deps;
  }

  /**
   * Whether `user` may post in `room` now (not muted, banned or shut out):
   * what decides if its `typing` is passed on. Never throws: a failure to
   * decide is a no.
   */
  async mayPost(room: string, user: PublicUser): Promise<boolean> {
    try {
      await this.#deps.policy.check({ action: "post", user, room });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stores a message and publishes its `message` event.
   *
   * @throws {ValidationError} `BAD_TEXT`
   * @throws {NotFoundError} `MESSAGE_NOT_FOUND` when `replyTo` is not a message of the room
   * @throws what the policy throws when it may not post
   */
  async post(request: PostRequest): Promise<LoggedMessage> {
    const { room, user } = request;
    checkText(request.text, "send the message");
    await this.#deps.policy.check({ action: "post", user, room });
    const stored = await this.#deps.store.appendMessage({
      id: this.#deps.newId(),
      room,
      sender: user,
      text: request.text,
      nonce: request.nonce,
      createdAtMs: this.#deps.now(),
      replyTo: request.replyTo,
    });
    const event = toLoggedMessage(stored);
    this.#deps.bus.publish(event);
    return event;
  }

  /**
   * Replaces a message's text and publishes the `edit` event.
   *
   * @returns the `edit` event and the message as it now reads
   * @throws {ValidationError} `BAD_TEXT`
   * @throws {NotFoundError} `MESSAGE_NOT_FOUND`
   * @throws what the policy throws (by default `FORBIDDEN` for anyone but the author)
   */
  async edit(request: TargetRequest & { readonly text: string }): Promise<EditResult> {
    const { room, user, target } = request;
    checkText(request.text, `edit message ${target}`);
    const message = await this.#target(room, target, "edit");
    await this.#deps.policy.check({ action: "edit", user, room, message });
    const result = await this.#deps.store.editMessage({
      room,
      target,
      text: request.text,
      editor: user,
      editedAtMs: this.#deps.now(),
      nonce: request.nonce,
    });
    this.#deps.bus.publish(result.event);
    return result;
  }

  /**
   * Deletes a message (its text leaves the store) and publishes the `delete` event.
   *
   * @throws {NotFoundError} `MESSAGE_NOT_FOUND`
   * @throws what the policy throws (by default `FORBIDDEN` for anyone but the author)
   */
  async remove(request: TargetRequest): Promise<DeleteEvent> {
    const { room, user, target } = request;
    const message = await this.#target(room, target, "delete");
    await this.#deps.policy.check({ action: "delete", user, room, message });
    const event = await this.#deps.store.deleteMessage({
      room,
      target,
      by: user,
      atMs: this.#deps.now(),
      nonce: request.nonce,
    });
    this.#deps.bus.publish(event);
    return event;
  }

  /**
   * Moves the user's `lastRead` in the room forward to `seq` (clamped to the
   * room's last `seq`) and tells its other sockets in the room.
   *
   * @param origin the socket that read, which is not told
   * @returns the `lastRead` now stored
   */
  async markRead(room: string, user: PublicUser, seq: number, origin?: string): Promise<number> {
    const lastRead = await this.#deps.store.setLastRead(user.id, room, seq);
    this.#deps.reads.read(room, user, lastRead, origin);
    return lastRead;
  }

  async #target(room: string, target: number, verb: string): Promise<StoredMessage> {
    const message = await this.#deps.store.findMessage(room, target);
    if (message) return message;
    throw new NotFoundError(
      "MESSAGE_NOT_FOUND",
      `Cannot ${verb} message ${target} of room "${room}": there is no such message`,
    );
  }
}
