import assert from "node:assert/strict";
import { originAllowed, originPolicy, publicOrigin } from "../../src/http/origin_check.ts";

const SAME_HOST = originPolicy({ allowedOrigins: undefined, publicUrl: undefined });

Deno.test("publicOrigin() normalizes the host and keeps only a known scheme", () => {
  assert.deepEqual(publicOrigin("https", "Chat.Example.com:443"), {
    host: "chat.example.com",
    protocol: "https:",
  });
  assert.deepEqual(publicOrigin("HTTP:", "[::1]:8000"), { host: "[::1]:8000", protocol: "http:" });
  assert.deepEqual(publicOrigin("http", "chat.example.com:80"), {
    host: "chat.example.com",
    protocol: "http:",
  });
  assert.deepEqual(publicOrigin("https", "chat.example.com:80"), {
    host: "chat.example.com:80",
    protocol: "https:",
  });
  // Unknown scheme: the host as given (lower-cased), so a default port is not guessed away.
  assert.deepEqual(publicOrigin(undefined, "Chat.example.com:80"), {
    host: "chat.example.com:80",
    protocol: undefined,
  });
  assert.deepEqual(publicOrigin("ws", "chat.example.com"), {
    host: "chat.example.com",
    protocol: undefined,
  });
  for (
    const host of ["", " ", "a b", "a/b", "user@host", "host?x", "host#x", "h:99999", "h:", "a\\b"]
  ) {
    assert.equal(publicOrigin("https", host), undefined, host);
  }
});

Deno.test("originAllowed() allows no Origin, and the public origin by default", () => {
  const server = publicOrigin("https", "chat.example.com");
  assert.ok(originAllowed(null, SAME_HOST, server));
  assert.ok(originAllowed("https://chat.example.com", SAME_HOST, server));
  assert.ok(originAllowed("https://CHAT.example.com:443", SAME_HOST, server));
  assert.ok(!originAllowed("http://chat.example.com", SAME_HOST, server), "the scheme counts");
  assert.ok(!originAllowed("https://evil.example", SAME_HOST, server));
  assert.ok(!originAllowed("null", SAME_HOST, server));
  assert.ok(!originAllowed("not a url", SAME_HOST, server));
  assert.ok(!originAllowed("https://chat.example.com", SAME_HOST, undefined), "no usable Host");
  // Scheme unknown (plain HTTP, no trusted proxy): hosts only, as before.
  const plain = publicOrigin(undefined, "chat.example.com");
  assert.ok(originAllowed("https://chat.example.com", SAME_HOST, plain));
  assert.ok(originAllowed("http://chat.example.com", SAME_HOST, plain));
  assert.ok(!originAllowed("http://chat.example.com:8080", SAME_HOST, plain));
});

Deno.test("originAllowed() with ALLOWED_ORIGINS allows only them, plus PUBLIC_URL when set", () => {
  const server = publicOrigin("https", "chat.example.com");
  const listed = originPolicy({ allowedOrigins: ["https://app.example"], publicUrl: undefined });
  assert.ok(originAllowed("https://app.example", listed, server));
  assert.ok(!originAllowed("https://chat.example.com", listed, server), "only the listed ones");

  const both = originPolicy({
    allowedOrigins: ["https://app.example"],
    publicUrl: "https://chat.example.com",
  });
  assert.ok(originAllowed("https://app.example", both, server));
  assert.ok(originAllowed("https://chat.example.com", both, server));
  assert.ok(!originAllowed("https://evil.example", both, server));

  const any = originPolicy({ allowedOrigins: ["*"], publicUrl: undefined });
  assert.ok(originAllowed("https://evil.example", any, server));
});
