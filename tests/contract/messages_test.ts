/**
 * The contract's wire shapes against the server's model: a message the server
 * builds is a contract `ChatMessage`, and the other way round.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChatMessage as WireMessage, PublicUser as WireUser } from "../../src/contract/mod.js";
import { type ChatMessage, type PublicUser, toChatMessage } from "../../src/model.ts";

/** Compiles only while each type is assignable to the other. */
function sameShape<A, B>(
  _check: [A] extends [B] ? ([B] extends [A] ? true : never) : never,
): void {}

Deno.test("the server's ChatMessage and PublicUser are the contract's shapes", () => {
  sameShape<ChatMessage, WireMessage>(true);
  sameShape<PublicUser, WireUser>(true);
  const built: WireMessage = toChatMessage({
    id: "m1",
    room: "lobby",
    sender: { id: 7, username: "alice" },
    text: "hi",
    nonce: "n-1",
    createdAtMs: 1_764_000_000_123,
  }, 42);
  assert.deepEqual(built, {
    id: "m1",
    seq: 42,
    room: "lobby",
    sender: { id: 7, username: "alice" },
    text: "hi",
    createTime: 1_764_000_000,
    createdAt: "2025-11-24T16:00:00.123Z",
    nonce: "n-1",
  });
});
