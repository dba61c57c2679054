import assert from "node:assert/strict";
import type { LoggedEvent } from "../../src/model.ts";
import { withHoles } from "../../src/realtime/event_log.ts";

const event = (seq: number): LoggedEvent => ({
  type: "delete",
  seq,
  room: "r",
  target: 1,
  by: { id: 1, username: "a" },
});
const shape = (events: { type: string; seq: number }[]) =>
  events.map((e) => (e.type === "hole" ? `(${e.seq})` : String(e.seq))).join(" ");

Deno.test("withHoles() fills the seqs between two returned events", () => {
  assert.equal(shape(withHoles("r", [event(2), event(5)], { limit: 50 })), "2 (3) (4) 5");
});

Deno.test("withHoles() fills both ends of an oldest-first read that covered its range", () => {
  const read = withHoles("r", [event(4)], { after: 1, before: 7, from: "oldest", limit: 10 });
  assert.equal(shape(read), "(2) (3) 4 (5) (6)");
  assert.deepEqual(read[0], { type: "hole", seq: 2, room: "r" });
  assert.equal(
    shape(withHoles("r", [], { after: 1, before: 4, from: "oldest", limit: 10 })),
    "(2) (3)",
  );
});

Deno.test("withHoles() claims no seq a read did not cover", () => {
  // A full page stops at its last event; a newest-first read covers nothing before its first.
  const full = withHoles("r", [event(3), event(4)], {
    after: 1,
    before: 9,
    from: "oldest",
    limit: 2,
  });
  assert.equal(shape(full), "(2) 3 4");
  assert.equal(shape(withHoles("r", [event(8), event(9)], { after: 1, limit: 2 })), "8 9");
  assert.equal(shape(withHoles("r", [], { limit: 50 })), "");
});
