/**
 * The room log part of the {@linkcode import("../store.ts").Store}: one `seq`
 * counter per room counts every logged event (`message`, `edit`, `delete`,
 * CONTRACT §6). An edit or a delete appends its own event with the next `seq`
 * and changes the target message in place; a delete erases the text (and the
 * text of the message's edits) from the store itself.
 *
 * @module
 */
import type {
  ChatMessage,
  DeleteEvent,
  EditEvent,
  LoggedEvent,
  NewMessage,
  PublicUser,
  StoredMessage,
} from "../../model.ts";

/** A page query over one room's log; results are always oldest first. */
export interface MessageQuery {
  /** Only entries with `seq` below this. */
  readonly before?: number;
  /** Only entries with `seq` above this. */
  readonly after?: number;
  /** With `after`: the first `limit` after it (`"oldest"`) or the last `limit` (`"newest"`, default). */
  readonly from?: "oldest" | "newest";
  /** How many entries to return at most: entries returned, not `seq` values spanned. */
  readonly limit: number;
}

/** An edit of one message's text. */
export interface NewEdit {
  readonly room: string;
  /** The `seq` of the message to edit. */
  readonly target: number;
  readonly text: string;
  /** Who edits it; the store does not check that it is the author (the permission table does). */
  readonly editor: PublicUser;
  /** Milliseconds since the epoch. */
  readonly editedAtMs: number;
  readonly nonce?: string;
}

/** A delete of one message. */
export interface NewDelete {
  readonly room: string;
  readonly target: number;
  /** Who deletes it (its author, a moderator, an admin: the permission table decides). */
  readonly by: PublicUser;
  /** Milliseconds since the epoch. */
  readonly atMs: number;
  readonly nonce?: string;
}

/** What an edit stored: its event and the message as it now reads. */
export interface EditResult {
  readonly event: EditEvent;
  readonly message: StoredMessage;
}

/** One room's log of events. */
export interface MessageLog {
  /**
   * Appends a message with the next gapless `seq`, atomically, recording
   * that the sender has posted in the room (which makes it one of its rooms)
   * and the room's activity. The per-message hot path.
   *
   * @returns the v1 fields, plus `replyTo` when given (see {@linkcode StoredMessage})
   * @throws {import("../../errors.ts").NotFoundError} `MESSAGE_NOT_FOUND` when `replyTo` is not a kept message of the room
   */
  appendMessage(message: NewMessage): Promise<StoredMessage>;
  /**
   * v1 history: messages only (no edit or delete events), an edited one with
   * its new text, a deleted one absent, in the v1 shape. `limit` counts
   * messages, so a page is short only at the start of the log and a caller
   * asking `limit + 1` learns `hasMore` exactly; the page bounds are `seq`
   * values, so the `seq` of listed messages may skip.
   */
  listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]>;
  /**
   * The logged events in a `seq` range (v2 `since` replay and history), oldest
   * first: a `message` event carries its current text (and `editedAt`); the
   * `message` event of a deleted message and the `edit` events of it are left
   * out (their text is gone), its `delete` event stays. A client that applies
   * them ends where a live one does. `limit` counts events returned.
   */
  listEvents(room: string, query: MessageQuery): Promise<LoggedEvent[]>;
  /** The kept, not deleted message with that `seq`; `undefined` for anything else (an edit, a delete, pruned). */
  findMessage(room: string, seq: number): Promise<StoredMessage | undefined>;
  /**
   * Replaces a message's text: logs an `edit` event with the next `seq` and
   * updates the message (new text, `editedAt`) in the same atomic step.
   *
   * @throws {import("../../errors.ts").NotFoundError} `MESSAGE_NOT_FOUND` when `target` is not a kept message
   */
  editMessage(edit: NewEdit): Promise<EditResult>;
  /**
   * Deletes a message: logs a `delete` event with the next `seq` and erases the
   * message's text and nonce, and the text of its edits, in the same atomic
   * step. Afterwards only the `delete` event tells of it.
   *
   * @throws {import("../../errors.ts").NotFoundError} `MESSAGE_NOT_FOUND` when `target` is not a kept message
   */
  deleteMessage(deletion: NewDelete): Promise<DeleteEvent>;
  /** The room's highest `seq` (of any logged event), 0 when empty. */
  lastSeq(room: string): Promise<number>;
}
