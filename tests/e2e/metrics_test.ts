/**
 * `/metrics` (contract §5) after a known exchange: connections, rooms,
 * messages in and out, closes, HTTP requests and latencies.
 *
 * @module
 */
import assert from "node:assert/strict";
import { eventually } from "../_helpers/eventually.ts";
import { signIn, startServer } from "../_helpers/server.ts";
import { connect } from "../_helpers/ws_client.ts";

/** The value of one unlabelled or labelled sample in a Prometheus text page. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    if (line.slice(0, at) === series) return Number(line.slice(at + 1));
  }
  return undefined;
}

Deno.test("/metrics counts connections, rooms, messages in and out, closes, requests and latencies", async () => {
  await using server = await startServer();
  const { token } = await signIn(server, "counter");
  const url = `${server.wsUrl}/api/v1/rooms/counted/ws`;
  const member = await connect(url, [token]);
  const reader = await connect(url);
  for (let i = 1; i <= 3; i++) member.send({ text: `m${i}` });
  await reader.waitForMessages(3);
  await member.waitForMessages(3);
  const late = await connect(url); // gets the 3 as history
  await late.waitForMessages(3);
  late.send({ text: "anonymous" }); // closed with 1008 READ_ONLY
  await late.closed;
  // The client can see its close before the server's socket reports its own.
  await eventually(
    () => fetch(`${server.url}/metrics`).then((r) => r.text()),
    (text) => sample(text, "chat_connections") === 2,
  );

  const response = await fetch(`${server.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  assert.equal(sample(text, "chat_connections"), 2);
  assert.equal(sample(text, "chat_rooms"), 1);
  assert.equal(sample(text, "chat_ws_connects_total"), 3);
  assert.equal(sample(text, "chat_messages_in_total"), 3);
  assert.equal(sample(text, "chat_messages_out_total"), 3 * 2 + 3);
  assert.equal(sample(text, 'chat_ws_closes_total{code="1008",reason="READ_ONLY"}'), 1);
  assert.equal(sample(text, "chat_message_store_seconds_count"), 3);
  assert.equal(sample(text, "chat_message_delivery_seconds_count"), 3);
  assert.ok((sample(text, 'chat_message_delivery_seconds_bucket{le="+Inf"}') ?? 0) === 3);
  assert.equal(
    sample(text, 'http_requests_total{method="POST",route="/api/v1/login",status="200"}'),
    1,
  );
  assert.equal(
    sample(text, 'http_request_duration_seconds_count{route="/api/v1/users"}'),
    1,
  );
  await Promise.all([member.close(), reader.close()]);
});
