/**
 * How a room's logged events look to each protocol version: the frame a
 * batch of events becomes (encoded once per version, never per socket), and
 * what a joining member is sent as its history or resume.
 *
 * - v1 sees `message` events only, in their v1 shape (no `type`, `replyTo`,
 *   `editedAt`): exactly the frames v1 always had. Its history is the latest
 *   messages with their current text, a deleted one absent.
 * - v2 sees every logged event as it is, its history folded the way the
 *   store's `listEvents` answers (an edited message with its new text, a
 *   deleted one and its edits left out, the delete kept).
 *
 * @module
 */
import { HISTORY_ON_JOIN, MAX_RESUME } from "../contract/limits.js";
import {
  type ChatMessage,
  type EditEvent,
  type LoggedEvent,
  type LoggedMessage,
  toLoggedMessage,
} from "../model.ts";
import type { Store } from "../store/store.ts";
import { AppError } from "../errors.ts";
import { errorEvent } from "./commands.ts";
import type { RoomLogEvent } from "./event_log.ts";
import type { Backlog, StreamEvent } from "./room_stream.ts";

/** The protocol a socket speaks: `?v=2`, or v1 without it. */
export type ProtocolVersion = 1 | 2;

/** What a joining member asks for. */
export interface HistoryRequest<E> {
  readonly room: string;
  readonly version: ProtocolVersion;
  /** The join's `since`, if any. */
  readonly since: number | undefined;
  /** What the room's stream answered (from its recent events or the log). */
  readonly backlog: Backlog<E>;
}

/** A joining member's history as its version sees it. */
export interface History<E> {
  readonly events: readonly E[];
  /** As {@linkcode Backlog.upTo}: live events at or below it are not for the member. */
  readonly upTo: number;
  /** A frame sent before the history: v2's `HISTORY_PRUNED` error when `since` is older than what is kept. */
  readonly notice?: string;
}

/** How a room's events reach members of each version. */
export interface EventWire<E extends StreamEvent> {
  /** Whether members of `version` are sent this event at all. */
  visible(event: E, version: ProtocolVersion): boolean;
  /** One frame holding `events`, all {@linkcode EventWire.visible} to `version`. */
  encode(events: readonly E[], version: ProtocolVersion): string;
  /** The history a joining member of its version is sent. */
  history(request: HistoryRequest<E>): Promise<History<E>>;
}

/** The wire of a stream of v1 chat messages: the same frames for every member. */
export function plainWire<E extends StreamEvent>(): EventWire<E> {
  return {
    visible: () => true,
    encode: (events) => JSON.stringify(events),
    history: ({ backlog }) => Promise.resolve(backlog),
  };
}

/** A `message` event in its v1 shape: the fields v1 always had, in their order. */
export function v1Message(event: LoggedMessage): ChatMessage {
  const { type: _type, replyTo: _replyTo, editedAt: _editedAt, ...v1 } = event;
  return v1;
}

/**
 * Folds a run of logged events as the store's `listEvents` answers: a message
 * carries its latest edit's text, a deleted message and its edits are left
 * out (the delete stays), and holes go.
 */
function foldEvents(events: readonly RoomLogEvent[]): LoggedEvent[] {
  const deleted = new Set<number>();
  const edits = new Map<number, EditEvent>();
  for (const event of events) {
    if (event.type === "delete") deleted.add(event.target);
    else if (event.type === "edit") edits.set(event.target, event);
  }
  const out: LoggedEvent[] = [];
  for (const event of events) {
    if (event.type === "hole") continue;
    if (event.type === "delete") out.push(event);
    else if (event.type === "edit") {
      if (!deleted.has(event.target)) out.push(event);
    } else if (!deleted.has(event.seq)) {
      const edit = edits.get(event.seq);
      out.push(
        edit
          ? toLoggedMessage({ ...v1Message(event), replyTo: event.replyTo, ...editOf(edit) })
          : event,
      );
    }
  }
  return out;
}

function editOf(edit: EditEvent): { text: string; editedAt: string } {
  return { text: edit.text, editedAt: edit.editedAt };
}

/**
 * The v2 `HISTORY_PRUNED` error event when retention removed events after
 * `since` (`since + 1` below the room's oldest kept `seq`), else `undefined`.
 * The store is asked only when the backlog does not start with the event
 * right after `since` (a reconnect that missed a few events does not ask).
 */
async function prunedNotice(
  store: Pick<Store, "oldestKeptSeq">,
  room: string,
  since: number | undefined,
  events: readonly RoomLogEvent[],
): Promise<string | undefined> {
  if (since === undefined) return undefined;
  const first = events[0];
  if (first !== undefined && first.type !== "hole" && first.seq === since + 1) return undefined;
  const oldest = await store.oldestKeptSeq(room);
  if (since + 1 >= oldest) return undefined;
  return errorEvent(
    new AppError(
      410,
      "HISTORY_PRUNED",
      `Cannot replay every event after seq ${since}: older messages were deleted by ` +
        `retention; the oldest kept seq is ${oldest}`,
    ),
  );
}

/**
 * The wire of a v2 room stream (`eventLog`'s events). A v1 history is read
 * again from the store's message list when the stream's backlog holds
 * anything but messages (an edit, a delete or a hole changes what v1 sees).
 */
export function loggedWire(
  store: Pick<Store, "listMessages" | "oldestKeptSeq">,
): EventWire<RoomLogEvent> {
  return {
    visible: (event, version) => version === 2 ? event.type !== "hole" : event.type === "message",
    encode: (events, version) =>
      JSON.stringify(version === 2 ? events : events.map((e) => v1Message(e as LoggedMessage))),
    async history({ room, version, since, backlog }) {
      if (version === 2) {
        const notice = await prunedNotice(store, room, since, backlog.events);
        const events = foldEvents(backlog.events);
        return notice ? { events, upTo: backlog.upTo, notice } : { events, upTo: backlog.upTo };
      }
      if (backlog.events.every((event) => event.type === "message")) return backlog;
      const messages = await store.listMessages(
        room,
        since === undefined ? { limit: HISTORY_ON_JOIN } : { after: since, limit: MAX_RESUME },
      );
      const last = messages.at(-1)?.seq ?? 0;
      return { events: messages.map(toLoggedMessage), upTo: Math.max(backlog.upTo, last) };
    },
  };
}
