/**
 * A member's place in one room's stream, as the hub holds it: what its join
 * sent, and the live events held while that was read.
 *
 * @module
 */
import type { ChatMessage } from "../model.ts";
import type { Member } from "./hub.ts";
import type { StreamEvent } from "./room_stream.ts";
import type { ProtocolVersion } from "./wire.ts";

/** A member of a room with its position in the room's stream. */
export class Seat<E extends StreamEvent = ChatMessage> implements Member {
  // What every delivery reads is copied here; the rest is read through `member`
  // (one seat per socket: each field is 8 bytes per socket).
  readonly batch: boolean;
  readonly version: ProtocolVersion;
  /**
   * The highest `seq` its join sent (history, resume and the events held
   * meanwhile): a live event at or below it is not sent again. Events arrive
   * in `seq` order, so it needs no update after the join.
   */
  upTo = 0;
  /** Live events held while its backlog is read; `undefined` once it is live. */
  queue: E[] | undefined = [];

  /** @param member the socket this seat writes to */
  constructor(readonly member: Member) {
    this.batch = member.batch;
    this.version = member.version ?? 1;
  }

  get user(): Member["user"] {
    return this.member.user;
  }

  get socketId(): string | undefined {
    return this.member.socketId;
  }

  /** Whether its join has been sent and it receives the live stream. */
  get live(): boolean {
    return this.queue === undefined;
  }

  /** Writes one frame to the member. */
  send(frame: string, backlog?: boolean): void {
    this.member.send(frame, backlog);
  }
}
