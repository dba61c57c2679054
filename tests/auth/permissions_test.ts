/**
 * The permission table (src/auth/permissions.ts), row by row: every role ×
 * action in a public and a private room, then each restriction, the target
 * rank, the membership actions, and the one mapping of refusals to errors
 * and close codes. The expected cells are written out here, not derived from
 * the module's table.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type Action,
  ACTIONS,
  decide,
  type Facts,
  membershipAction,
  type Refusal,
  refusalClose,
  refusalError,
  type Role,
  ROLES,
} from "../../src/auth/permissions.ts";
import { CLOSE } from "../../src/contract/mod.js";
import { AuthError, ForbiddenError } from "../../src/errors.ts";

const OK = undefined;
const ANON = "INVALID_AUTH_TOKEN";
const NO = "FORBIDDEN";
const OUT = "NOT_A_MEMBER";

type Cell = Refusal | undefined;
/** One row: the outcome for anonymous, user, member, moderator, owner, admin. */
type Row = readonly [Cell, Cell, Cell, Cell, Cell, Cell];

const facts = (role: Role, fields: Partial<Facts> = {}): Facts => ({
  role,
  visibility: "public",
  banned: false,
  muted: false,
  serverBanned: false,
  ...fields,
});

function checkRow(label: string, row: Row, make: (role: Role) => [Action, Facts]): void {
  ROLES.forEach((role, i) => {
    const [action, given] = make(role);
    assert.equal(decide(action, given), row[i], `${label}: ${role}`);
  });
}

/** A public room, no restrictions; `own` false unless the row says so. */
const PUBLIC: ReadonlyArray<[string, Action, boolean, Row]> = [
  ["read", "read", false, [OK, OK, OK, OK, OK, OK]],
  ["send", "send", false, [ANON, OK, OK, OK, OK, OK]],
  ["edit own", "edit", true, [ANON, OK, OK, OK, OK, OK]],
  ["edit another's", "edit", false, [ANON, NO, NO, NO, NO, NO]],
  ["delete own", "delete", true, [ANON, OK, OK, OK, OK, OK]],
  ["delete another's", "delete", false, [ANON, NO, NO, OK, OK, OK]],
  ["manage members", "manageMembers", false, [ANON, NO, NO, OK, OK, OK]],
  ["set roles", "setRoles", false, [ANON, NO, NO, NO, OK, OK]],
  ["ban and mute", "moderate", false, [ANON, NO, NO, OK, OK, OK]],
  ["admin routes", "admin", false, [ANON, NO, NO, NO, NO, OK]],
];

Deno.test("permissions: every role × action in a public room", () => {
  assert.deepEqual(PUBLIC.map(([, action]) => action).filter((a, i, all) => all.indexOf(a) === i), [
    ...ACTIONS,
  ]);
  for (const [label, action, own, row] of PUBLIC) {
    checkRow(`public, ${label}`, row, (role) => [action, facts(role, { own })]);
  }
});

Deno.test("permissions: a private room lets in members and admins only, for every action", () => {
  const PRIVATE: ReadonlyArray<[string, Action, boolean, Row]> = [
    ["read", "read", false, [ANON, OUT, OK, OK, OK, OK]],
    ["send", "send", false, [ANON, OUT, OK, OK, OK, OK]],
    ["edit own", "edit", true, [ANON, OUT, OK, OK, OK, OK]],
    ["edit another's", "edit", false, [ANON, OUT, NO, NO, NO, NO]],
    ["delete own", "delete", true, [ANON, OUT, OK, OK, OK, OK]],
    ["delete another's", "delete", false, [ANON, OUT, NO, OK, OK, OK]],
    ["manage members", "manageMembers", false, [ANON, OUT, NO, OK, OK, OK]],
    ["set roles", "setRoles", false, [ANON, OUT, NO, NO, OK, OK]],
    ["ban and mute", "moderate", false, [ANON, OUT, NO, OK, OK, OK]],
  ];
  for (const [label, action, own, row] of PRIVATE) {
    checkRow(`private, ${label}`, row, (role) => [
      action,
      facts(role, { own, visibility: "private" }),
    ]);
  }
});

Deno.test("permissions: a room ban refuses every room action but an admin's", () => {
  const rows: ReadonlyArray<[string, Action, boolean, Row]> = [
    ["read", "read", false, [OK, "BANNED", "BANNED", "BANNED", "BANNED", OK]],
    ["send", "send", false, [ANON, "BANNED", "BANNED", "BANNED", "BANNED", OK]],
    ["delete own", "delete", true, [ANON, "BANNED", "BANNED", "BANNED", "BANNED", OK]],
    ["ban and mute", "moderate", false, [ANON, "BANNED", "BANNED", "BANNED", "BANNED", OK]],
  ];
  for (const [label, action, own, row] of rows) {
    checkRow(`banned, ${label}`, row, (role) => [action, facts(role, { own, banned: true })]);
  }
  // In a private room the gate speaks first.
  assert.equal(decide("read", facts("user", { visibility: "private", banned: true })), OUT);
});

Deno.test("permissions: a mute refuses sending and editing only, and not an admin", () => {
  const rows: ReadonlyArray<[string, Action, boolean, Row]> = [
    ["read", "read", false, [OK, OK, OK, OK, OK, OK]],
    ["send", "send", false, [ANON, "MUTED", "MUTED", "MUTED", "MUTED", OK]],
    ["edit own", "edit", true, [ANON, "MUTED", "MUTED", "MUTED", "MUTED", OK]],
    ["delete own", "delete", true, [ANON, OK, OK, OK, OK, OK]],
    ["ban and mute", "moderate", false, [ANON, NO, NO, OK, OK, OK]],
  ];
  for (const [label, action, own, row] of rows) {
    checkRow(`muted, ${label}`, row, (role) => [action, facts(role, { own, muted: true })]);
  }
  // Someone else's message: not allowed whether muted or not.
  assert.equal(decide("edit", facts("member", { muted: true, own: false })), NO);
});

Deno.test("permissions: a server ban refuses everything a signed-in user asks, admins aside", () => {
  for (const action of ACTIONS) {
    checkRow(
      `server-banned, ${action}`,
      [
        action === "read" ? OK : ANON,
        "USER_BANNED",
        "USER_BANNED",
        "USER_BANNED",
        "USER_BANNED",
        OK,
      ],
      (role) => [action, facts(role, { serverBanned: true, own: true })],
    );
  }
});

Deno.test("permissions: a revoked token is refused first, whatever else holds", () => {
  for (const action of ACTIONS) {
    for (const role of ROLES.filter((r) => r !== "anonymous")) {
      const given = facts(role, { revoked: true, banned: true, visibility: "private" });
      assert.equal(decide(action, given), "TOKEN_REVOKED", `${action} ${role}`);
    }
  }
});

Deno.test("permissions: acting on a user needs a higher rank (ban, mute, membership)", () => {
  // [actor, target, moderate]
  const rows: ReadonlyArray<[Role, Role, Cell]> = [
    ["moderator", "user", OK],
    ["moderator", "member", OK],
    ["moderator", "moderator", NO],
    ["moderator", "owner", NO],
    ["moderator", "admin", NO],
    ["owner", "member", OK],
    ["owner", "moderator", OK],
    ["owner", "owner", NO],
    ["owner", "admin", NO],
    ["admin", "owner", OK],
    ["admin", "admin", NO],
    ["member", "user", NO],
  ];
  for (const [actor, target, expected] of rows) {
    assert.equal(decide("moderate", facts(actor, { target })), expected, `${actor} on ${target}`);
  }
  assert.equal(decide("admin", facts("admin", { target: "user" })), OK);
  assert.equal(decide("admin", facts("admin", { target: "admin" })), NO);
});

Deno.test("membershipAction(): anything about a moderator is setRoles, the rest manageMembers", () => {
  const rows: ReadonlyArray<[Role, "member" | "moderator" | undefined, Action]> = [
    ["user", "member", "manageMembers"],
    ["member", "member", "manageMembers"],
    ["member", undefined, "manageMembers"],
    ["user", "moderator", "setRoles"],
    ["member", "moderator", "setRoles"],
    ["moderator", "member", "setRoles"],
    ["moderator", undefined, "setRoles"],
  ];
  for (const [current, next, expected] of rows) {
    assert.equal(membershipAction(current, next), expected, `${current} -> ${next}`);
  }
  // So a moderator adds members but cannot promote, and the owner can.
  assert.equal(decide("manageMembers", facts("moderator", { target: "user" })), OK);
  assert.equal(decide("setRoles", facts("moderator", { target: "member" })), NO);
  assert.equal(decide("setRoles", facts("owner", { target: "member" })), OK);
});

Deno.test("refusalError() and refusalClose(): each refusal has one error and one close code", () => {
  const rows: ReadonlyArray<[Refusal, number, string, number, string]> = [
    ["TOKEN_REVOKED", 401, "INVALID_AUTH_TOKEN", 1008, "TOKEN_REVOKED"],
    ["INVALID_AUTH_TOKEN", 401, "INVALID_AUTH_TOKEN", 4001, "KICKED"],
    ["NOT_A_MEMBER", 403, "NOT_A_MEMBER", 4001, "KICKED"],
    ["FORBIDDEN", 403, "FORBIDDEN", 4001, "KICKED"],
    ["BANNED", 403, "BANNED", 4003, "BANNED"],
    ["USER_BANNED", 403, "USER_BANNED", 4003, "BANNED"],
    ["MUTED", 403, "MUTED", 1008, "MUTED"],
  ];
  for (const [refusal, status, type, code, reason] of rows) {
    const error = refusalError(refusal, 'join room "x"');
    assert.ok(error instanceof (status === 401 ? AuthError : ForbiddenError), refusal);
    assert.equal(error.status, status, refusal);
    assert.equal(error.type, type, refusal);
    assert.match(error.message, /^Cannot join room "x": /, refusal);
    assert.deepEqual(refusalClose(refusal), { code, reason }, refusal);
  }
  assert.equal(refusalClose("BANNED"), CLOSE.BANNED);
});
