/**
 * Test helper: protocol v2 sockets spread over the nodes (isolates or
 * processes) of one deployment, for the tests that hold ephemeral events
 * across nodes. A node is told by the `x-served-by` header of its 101.
 *
 * @module
 */
import { waitForEvent } from "./v2_events.ts";
import { connect, type TestSocket } from "./ws_client.ts";

/** A v2 socket, joined (its presence snapshot received), with the node that took it. */
export async function joinV2(url: string, token?: string): Promise<TestSocket> {
  const socket = await connect(url, token ? [token] : []);
  await waitForEvent(socket, (e) => e.type === "presence");
  return socket;
}

/**
 * Joins with each token in turn until a socket lands on a node other than
 * `notOn` (every URL is tried in turn too: the processes of a cluster, or the
 * one URL of `deno serve --parallel`). Sockets that landed on `notOn` stay
 * open and are returned in `others`.
 *
 * @throws when 40 tries all land on `notOn`
 */
export async function joinElsewhere(
  urls: readonly string[],
  tokens: readonly string[],
  notOn: string | undefined,
): Promise<{ socket: TestSocket; token: string; others: TestSocket[] }> {
  const others: TestSocket[] = [];
  for (let i = 0; i < 40; i++) {
    const token = tokens[i % tokens.length]!;
    const socket = await joinV2(urls[i % urls.length]!, token);
    if (socket.servedBy !== notOn) return { socket, token, others };
    others.push(socket);
  }
  throw new Error(`40 sockets all landed on ${notOn}`);
}
