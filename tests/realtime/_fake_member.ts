/**
 * Test helper: a socket stand-in that records the frames it is sent, and the
 * small waits the realtime tests share.
 *
 * @module
 */
import type { ChatMessage, PublicUser } from "../../src/model.ts";
import type { Member } from "../../src/realtime/hub.ts";

/** A member that records every frame, and whether it was sent as backlog. */
export class FakeMember implements Member {
  readonly frames: string[] = [];
  readonly backlogFlags: boolean[] = [];
  constructor(
    readonly batch = false,
    readonly user: PublicUser | undefined = undefined,
    readonly version: 1 | 2 = 1,
  ) {}
  send(frame: string, backlog?: boolean): void {
    this.frames.push(frame);
    this.backlogFlags.push(backlog === true);
  }
  /** Every message received, in order, across frames. */
  get messages(): ChatMessage[] {
    return this.frames.flatMap((frame) => JSON.parse(frame) as ChatMessage[]);
  }
  get seqs(): number[] {
    return this.messages.map((m) => m.seq);
  }
  /** How many messages each frame held. */
  get frameSizes(): number[] {
    return this.frames.map((frame) => (JSON.parse(frame) as unknown[]).length);
  }
}

/** Resolves after `ms` milliseconds. */
export const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 2 ms for at most `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 2000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await delay(2);
  }
}

/** `[from, …, to]`; empty when `to < from`. */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
