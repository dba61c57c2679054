/**
 * Test helper: one scenario of moderation across nodes, for a server of two
 * isolates (`deno serve --parallel`) or two processes on one Redis. Each
 * target user holds a socket on both nodes; a kick (4001), a room ban
 * (4003), a logout (1008 TOKEN_REVOKED, then 401 on REST on both nodes), a
 * server ban (4003) and the server API's disconnect (4001), each asked of the
 * first node, must close both. A mute asked of the first node must reach the
 * standing the second kept for the user's posts (its next post there closes
 * 1008 `MUTED` at once, not after the standing's 5 s).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Json } from "../_helpers/server.ts";
import type { TestSocket } from "../_helpers/ws_client.ts";

/** How the scenario reaches the nodes. */
export interface Nodes {
  /** The REST base URL of the node asked to act. */
  readonly url: string;
  /** Opens one socket per node for `token` in `room` (`ws` path, query included). */
  sockets(room: string, token: string): Promise<TestSocket[]>;
  /** Sends one GET per node with the token; returns each node's status. */
  statuses(path: string, token: string): Promise<number[]>;
  /** The server API's key the nodes were started with. */
  readonly apiKey: string;
}

async function call(url: string, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed: Json = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed.data;
}

async function signIn(url: string, username: string): Promise<{ token: string; id: number }> {
  const credentials = { username, secret: "correct horse" };
  await fetch(`${url}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  }).then((r) => r.body?.cancel());
  const data = await call(url, "POST", "/api/v1/login", undefined, credentials);
  return { token: data.token, id: data.user.id };
}

async function closedWith(sockets: TestSocket[], code: number, reason: string, what: string) {
  for (const [i, socket] of sockets.entries()) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: node ${i} kept its socket open`)), 5000);
    });
    try {
      const closed = await Promise.race([socket.closed, timeout]);
      assert.deepEqual(closed, { code, reason }, `${what}: node ${i}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs the scenario; `root` must be in the nodes' `ADMIN_USERNAMES`. */
export async function crossNodeModeration(nodes: Nodes): Promise<void> {
  const { url } = nodes;
  const [root, alice, bob, eve, carol, dan, frank, gina] = await Promise.all(
    ["root", "alice", "bob", "eve", "carol", "dan", "frank", "gina"].map((name) =>
      signIn(url, name)
    ),
  );

  // A kick from a private room.
  await call(url, "POST", "/api/v1/rooms", alice!.token, { name: "team", visibility: "private" });
  await call(url, "PUT", `/api/v1/rooms/team/members/${bob!.id}`, alice!.token, {});
  const kicked = await nodes.sockets("team", bob!.token);
  await call(url, "DELETE", `/api/v1/rooms/team/members/${bob!.id}`, alice!.token);
  await closedWith(kicked, 4001, "KICKED", "kick");

  // A mute: gina posts on both nodes first, so each keeps her standing for its posts.
  const muted = await nodes.sockets("lobby", gina!.token);
  for (const [i, socket] of muted.entries()) socket.send({ text: `before the mute ${i}` });
  for (const socket of muted) await socket.waitForMessages(muted.length);
  await call(url, "PUT", `/api/v1/rooms/lobby/mutes/${gina!.id}`, root!.token, {});

  // A room ban. Its close, on the control channel after the mute, shows that
  // both nodes have heard of the mute too.
  const banned = await nodes.sockets("lobby", eve!.token);
  await call(url, "PUT", `/api/v1/rooms/lobby/bans/${eve!.id}`, root!.token, {});
  await closedWith(banned, 4003, "BANNED", "room ban");
  for (const socket of muted) socket.send({ text: "after the mute" });
  await closedWith(muted, 1008, "MUTED", "mute");

  // A logout: the sockets close, and REST refuses the token on every node.
  const revoked = await nodes.sockets("lobby", carol!.token);
  assert.deepEqual(await nodes.statuses("/api/v1/users/me", carol!.token), [200, 200]);
  await call(url, "POST", "/api/v1/logout", carol!.token, {});
  await closedWith(revoked, 1008, "TOKEN_REVOKED", "logout");
  assert.deepEqual(await nodes.statuses("/api/v1/users/me", carol!.token), [401, 401]);

  // A server ban.
  const serverBanned = await nodes.sockets("lobby", dan!.token);
  await call(url, "PUT", `/api/v1/admin/users/${dan!.id}/ban`, root!.token, {});
  await closedWith(serverBanned, 4003, "BANNED", "server ban");
  assert.deepEqual(await nodes.statuses("/api/v1/users/me", dan!.token), [401, 401]);

  // The server API's disconnect.
  const disconnected = await nodes.sockets("lobby", frank!.token);
  const response = await fetch(`${url}/api/v1/admin/users/${frank!.id}/disconnect`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": nodes.apiKey },
    body: "{}",
  });
  assert.equal(response.status, 200, await response.text());
  await closedWith(disconnected, 4001, "KICKED", "server API disconnect");
}
