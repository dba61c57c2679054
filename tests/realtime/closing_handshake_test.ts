import assert from "node:assert/strict";
import { closeWithHandshake } from "../../src/realtime/closing_handshake.ts";
import { connect } from "../_helpers/ws_client.ts";

Deno.test("closeWithHandshake: a client that keeps sending still reads the close frame, and the server waits for its answer", async () => {
  const serverCloses: Promise<CloseEvent>[] = [];
  const opened: WebSocket[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    opened.push(socket);
    serverCloses.push(new Promise((resolve) => socket.addEventListener("close", resolve)));
    return response;
  });
  try {
    const url = `ws://127.0.0.1:${server.addr.port}/`;
    const clients = await Promise.all([1, 2, 3].map(() => connect(url)));
    let sent = 0;
    const sending = clients.map(async (client) => {
      for (let n = 0; n < 20_000 && client.ws.readyState === client.ws.OPEN; n++) {
        client.send({ text: `m${n}` });
        sent++;
        if (n % 2 === 1) await new Promise((r) => setTimeout(r, 1));
      }
    });
    while (sent < 300) await new Promise((r) => setTimeout(r, 5));
    for (const socket of opened) assert.equal(closeWithHandshake(socket, 1001, "SHUTDOWN"), true);
    // Not open any more: nothing to do.
    assert.equal(closeWithHandshake(opened[0]!, 1001, "SHUTDOWN"), false);
    for (const client of clients) {
      assert.deepEqual(await client.closed, { code: 1001, reason: "SHUTDOWN" });
    }
    await Promise.all(sending);
    // Each server socket closed on the client's own close frame, not by dropping the connection.
    for (const close of await Promise.all(serverCloses)) {
      assert.equal(close.wasClean, true);
      assert.equal(close.code, 1001);
    }
  } finally {
    await server.shutdown();
  }
});
