/**
 * Test helper: reading protocol v2 events off a test socket
 * (`ws_client.ts`), whose frames are JSON arrays of events.
 *
 * @module
 */
import type { Json } from "./server.ts";
import type { TestSocket } from "./ws_client.ts";

/** One v2 event as received. */
export type V2Event = Json;

/** Every event a socket received, in order, across frames. */
export function eventsOf(socket: TestSocket): V2Event[] {
  return (socket.frames as unknown as V2Event[][]).flat();
}

/** A short form of an event for assertions: `join bob`, `message 3 hi`, `error BAD_TEXT n1`. */
export function brief(event: V2Event): string {
  switch (event.type) {
    case "join":
    case "leave":
    case "typing":
      return `${event.type} ${event.user.username}`;
    case "presence":
      return `presence ${event.users.map((u: Json) => u.username).join(",")} +${event.anonymous}`;
    case "message":
      return `message ${event.seq} ${event.text}`;
    case "edit":
      return `edit ${event.seq}>${event.target} ${event.text}`;
    case "delete":
      return `delete ${event.seq}>${event.target}`;
    case "read":
      return `read ${event.room} ${event.seq}`;
    case "error":
      return `error ${event.error.type}${event.nonce === undefined ? "" : ` ${event.nonce}`}`;
    default:
      return `? ${JSON.stringify(event)}`;
  }
}

/** The brief forms of every event a socket received. */
export function briefs(socket: TestSocket): string[] {
  return eventsOf(socket).map(brief);
}

/**
 * Waits until a socket has received an event whose brief form is `wanted`
 * (or that `wanted` accepts), polling every 5 ms for at most `timeoutMs`.
 */
export async function waitForEvent(
  socket: TestSocket,
  wanted: string | ((event: V2Event) => boolean),
  timeoutMs = 5000,
): Promise<V2Event> {
  const accept = typeof wanted === "string" ? (e: V2Event) => brief(e) === wanted : wanted;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const found = eventsOf(socket).find(accept);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${String(wanted)}; have ${briefs(socket).join(" | ")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
