import assert from "node:assert/strict";
import { resolveClient } from "../../src/http/client_address.ts";
import { parseIpRange } from "../../src/http/ip_range.ts";

const TRUSTED = ["127.0.0.1", "10.0.0.0/8", "::1"].map(parseIpRange);

function resolve(peer: string | undefined, headers: Record<string, string> = {}) {
  return resolveClient(new Headers(headers), peer, TRUSTED);
}

Deno.test("resolveClient() believes nothing from an untrusted peer", () => {
  const forged = {
    "x-forwarded-for": "1.1.1.1",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "evil.example",
    forwarded: "for=2.2.2.2;proto=https;host=evil.example",
  };
  assert.deepEqual(resolve("203.0.113.9", forged), {
    address: "203.0.113.9",
    proto: undefined,
    host: undefined,
  });
  // 10.0.0.0/8 is trusted, 11.0.0.1 is not.
  assert.equal(resolve("11.0.0.1", forged).address, "11.0.0.1");
  // Without TRUSTED_PROXIES, the peer's address as Deno reports it.
  assert.deepEqual(resolveClient(new Headers(forged), "::ffff:1.2.3.4", []), {
    address: "::ffff:1.2.3.4",
    proto: undefined,
    host: undefined,
  });
  assert.equal(resolve(undefined, forged).address, "unknown");
});

Deno.test("resolveClient() takes the right-most untrusted X-Forwarded-For entry", () => {
  const xff = (value: string) => resolve("127.0.0.1", { "x-forwarded-for": value }).address;
  assert.equal(xff("198.51.100.7"), "198.51.100.7");
  // A client-sent prefix is never believed: the proxy appended the real address.
  assert.equal(xff("6.6.6.6, 198.51.100.7"), "198.51.100.7");
  // Trusted hops on the right are skipped.
  assert.equal(xff("6.6.6.6, 198.51.100.7, 10.1.2.3, 10.4.5.6"), "198.51.100.7");
  // Every hop trusted: the first of them.
  assert.equal(xff("10.9.9.9, 10.1.1.1"), "10.9.9.9");
  // Canonical forms, ports and brackets.
  assert.equal(xff("2001:DB8::0001"), "2001:db8::1");
  assert.equal(xff("[2001:db8::1]:5555"), "2001:db8::1");
  assert.equal(xff("198.51.100.7:5555"), "198.51.100.7");
  assert.equal(xff("::ffff:198.51.100.7"), "198.51.100.7");
  // An entry that is not an address counts as the trusted hop that wrote it.
  assert.equal(xff("198.51.100.7, unknown"), "127.0.0.1");
  assert.equal(xff("198.51.100.7, garbage, 10.1.1.1"), "10.1.1.1");
  assert.equal(xff(""), "127.0.0.1");
  // Two header lines are one list.
  const twoLines = new Headers([["x-forwarded-for", "198.51.100.7"], [
    "x-forwarded-for",
    "10.0.0.2",
  ]]);
  assert.equal(resolveClient(twoLines, "::1", TRUSTED).address, "198.51.100.7");
  // The peer's IPv4-mapped form is trusted as its IPv4 address.
  assert.equal(
    resolve("::ffff:127.0.0.1", { "x-forwarded-for": "198.51.100.7" }).address,
    "198.51.100.7",
  );
});

Deno.test("resolveClient() reads the nearest proxy's X-Forwarded-Proto and -Host", () => {
  assert.deepEqual(
    resolve("127.0.0.1", {
      "x-forwarded-for": "198.51.100.7",
      "x-forwarded-proto": "http, https",
      "x-forwarded-host": "forged.example, chat.example.com",
    }),
    { address: "198.51.100.7", proto: "https", host: "chat.example.com" },
  );
  // Proto and host without X-Forwarded-For: the peer is the client.
  assert.deepEqual(resolve("127.0.0.1", { "x-forwarded-proto": "https" }), {
    address: "127.0.0.1",
    proto: "https",
    host: undefined,
  });
});

Deno.test("resolveClient() reads Forwarded when no X-Forwarded-* header is there", () => {
  assert.deepEqual(
    resolve("127.0.0.1", {
      forwarded: 'for=6.6.6.6;host=forged.example, for="[2001:db8::7]:4711";proto=https;' +
        "host=chat.example.com, for=10.0.0.2;proto=http;host=internal",
    }),
    { address: "2001:db8::7", proto: "https", host: "chat.example.com" },
  );
  assert.equal(resolve("::1", { forwarded: 'for="198.51.100.7:80"' }).address, "198.51.100.7");
  // A port needs quotes (RFC 7239): unquoted, the header is malformed.
  assert.equal(resolve("::1", { forwarded: "for=198.51.100.7:80" }).address, "::1");
  // Obfuscated or unknown: the trusted proxy that wrote it.
  assert.equal(resolve("127.0.0.1", { forwarded: "for=_hidden" }).address, "127.0.0.1");
  assert.equal(resolve("127.0.0.1", { forwarded: "proto=https" }).address, "127.0.0.1");
  // Malformed: none of it is believed.
  assert.deepEqual(resolve("127.0.0.1", { forwarded: 'for="198.51.100.7' }), {
    address: "127.0.0.1",
    proto: undefined,
    host: undefined,
  });
});

Deno.test("resolveClient() ignores Forwarded when X-Forwarded-* headers are there", () => {
  // A proxy that sets X-Forwarded-* passes a client's forged Forwarded through.
  assert.deepEqual(
    resolve("127.0.0.1", {
      "x-forwarded-for": "198.51.100.7",
      forwarded: "for=6.6.6.6;proto=https;host=forged.example",
    }),
    { address: "198.51.100.7", proto: undefined, host: undefined },
  );
});
