/**
 * The store contract: health, close, and failures caused by the input.
 *
 * @module
 */
import assert from "node:assert/strict";
import { StoreUnavailableError } from "../../../src/errors.ts";
import {
  type ContractTest,
  isUnavailable,
  newMessage,
  newUser,
  openScoped,
  type StoreFactory,
} from "./helpers.ts";

/** Registers this part of the store contract. */
export function lifecycleContract(test: ContractTest, open: StoreFactory): void {
  test("ping() resolves on an open store", async () => {
    await using s = await openScoped(open);
    assert.equal(await s.store.ping(), undefined);
  });

  test("operations after close() reject with STORE_UNAVAILABLE", async () => {
    const store = await open({ now: Date.now });
    const editor = { id: 1, username: "alice" };
    const restriction = {
      kind: "ban",
      room: "lobby",
      userId: 2,
      untilMs: null,
      reason: null,
      byId: null,
      atMs: 1,
    } as const;
    await store.appendMessage(newMessage("lobby"));
    await store.close();
    await store.close(); // idempotent
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["ping", () => store.ping()],
      ["createUser", () => store.createUser(newUser("alice"))],
      ["findUserByCanonicalName", () => store.findUserByCanonicalName("alice")],
      ["findUserById", () => store.findUserById(1)],
      ["updatePasswordHash", () => store.updatePasswordHash(1, "x")],
      ["appendMessage", () => store.appendMessage(newMessage("lobby"))],
      ["listMessages", () => store.listMessages("lobby", { limit: 10 })],
      ["lastSeq", () => store.lastSeq("lobby")],
      ["putPresence", () => store.putPresence("n", "lobby", { users: [], anonymous: 1 }, 1000)],
      ["roomPresence", () => store.roomPresence("lobby")],
      ["clearPresence", () => store.clearPresence("n")],
      ["getOrCreateSecret", () => store.getOrCreateSecret("jwt", () => "v")],
      ["listEvents", () => store.listEvents("lobby", { limit: 10 })],
      ["findMessage", () => store.findMessage("lobby", 1)],
      [
        "editMessage",
        () => store.editMessage({ room: "lobby", target: 1, text: "x", editor, editedAtMs: 1 }),
      ],
      [
        "deleteMessage",
        () => store.deleteMessage({ room: "lobby", target: 1, by: editor, atMs: 1 }),
      ],
      [
        "createRoom",
        () => store.createRoom({ name: "r", visibility: "public", ownerId: 1, createdAtMs: 1 }),
      ],
      ["getRoom", () => store.getRoom("lobby")],
      ["openDirectRoom", () => store.openDirectRoom(1, 2, 1)],
      ["putMember", () => store.putMember("lobby", 1, "member", 1)],
      ["removeMember", () => store.removeMember("lobby", 1)],
      ["getMembership", () => store.getMembership("lobby", 1)],
      ["listMembers", () => store.listMembers("lobby")],
      ["listRooms", () => store.listRooms({ limit: 10 })],
      ["listRoomNames", () => store.listRoomNames({ limit: 10 })],
      ["setLastRead", () => store.setLastRead(1, "lobby", 1)],
      ["getLastRead", () => store.getLastRead(1, "lobby")],
      ["listUserRooms", () => store.listUserRooms(1)],
      ["putRestriction", () => store.putRestriction(restriction)],
      ["removeRestriction", () => store.removeRestriction("ban", "lobby", 2)],
      ["findRestriction", () => store.findRestriction("ban", "lobby", 2, 1)],
      ["listRestrictions", () => store.listRestrictions("ban", null, 1)],
      ["revokeToken", () => store.revokeToken("j", 2, 1)],
      ["revokeUserTokens", () => store.revokeUserTokens(1, 1)],
      ["isTokenRevoked", () => store.isTokenRevoked({ userId: 1, issuedAtMs: 1 })],
      ["listRevocations", () => store.listRevocations(0)],
      [
        "appendAudit",
        () =>
          store.appendAudit({
            actor: null,
            action: "a",
            targetUserId: null,
            room: null,
            detail: null,
            atMs: 1,
          }),
      ],
      ["listAudit", () => store.listAudit({ limit: 10 })],
      ["pruneRoom", () => store.pruneRoom("lobby", 1)],
      ["oldestKeptSeq", () => store.oldestKeptSeq("lobby")],
    ];
    // Every method of the store is tried above.
    const tried = new Set(attempts.map(([what]) => what));
    const methods = Object.keys(store).filter((key) =>
      typeof (store as unknown as Record<string, unknown>)[key] === "function" &&
      !["close", "backup"].includes(key)
    );
    assert.deepEqual(methods.filter((m) => !tried.has(m)), []);
    for (const [what, attempt] of attempts) {
      await assert.rejects(attempt(), isUnavailable, what);
    }
  });

  test("a failure caused by the input is an error, not STORE_UNAVAILABLE, and stores nothing", async () => {
    await using s = await openScoped(open);
    await assert.rejects(
      s.store.appendMessage(newMessage("lobby", { createdAtMs: Number.NaN })),
      (error: unknown) => {
        assert.ok(!(error instanceof StoreUnavailableError), `got ${error}`);
        assert.ok(error instanceof Error);
        return true;
      },
    );
    assert.equal((await s.store.appendMessage(newMessage("lobby"))).seq, 1);
  });
}
