import assert from "node:assert/strict";
import { UNREAD_CAP } from "../../src/contract/mod.js";
import { unreadLabel } from "../../src/web/room_list.js";

Deno.test("an unread badge shows the count, and 99+ at the server's cap", () => {
  assert.equal(unreadLabel(1), "1");
  assert.equal(unreadLabel(UNREAD_CAP - 1), String(UNREAD_CAP - 1));
  assert.equal(unreadLabel(UNREAD_CAP), `${UNREAD_CAP - 1}+`);
  assert.equal(UNREAD_CAP, 100);
});
