import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/config/load_config.ts";
import { inRanges, parseIp } from "../../src/http/ip_range.ts";

Deno.test("loadConfig() leaves TRUSTED_PROXIES, PUBLIC_URL and TLS off by default", () => {
  const config = loadConfig({});
  assert.deepEqual(config.trustedProxies, []);
  assert.equal(config.publicUrl, undefined);
  assert.equal(config.tls, undefined);
});

Deno.test("loadConfig() reads TRUSTED_PROXIES as addresses and CIDR ranges", () => {
  const { trustedProxies } = loadConfig({ TRUSTED_PROXIES: " 127.0.0.1/8, ::1 ,10.2.0.0/16," });
  assert.deepEqual(trustedProxies.map((range) => range.text), [
    "127.0.0.1/8",
    "::1",
    "10.2.0.0/16",
  ]);
  assert.ok(inRanges(parseIp("127.3.4.5")!, trustedProxies));
  assert.ok(inRanges(parseIp("10.2.9.9")!, trustedProxies));
  assert.ok(!inRanges(parseIp("10.3.0.1")!, trustedProxies));
});

Deno.test("loadConfig() refuses a bad TRUSTED_PROXIES entry, naming the variable and entry", () => {
  for (
    const [value, message] of [
      ["10.0.0.0/8,proxy.local", /^Invalid TRUSTED_PROXIES entry "proxy.local": not an IP/],
      ["10.0.0.0/40", /^Invalid TRUSTED_PROXIES entry "10.0.0.0\/40": bad prefix length/],
      ["*", /^Invalid TRUSTED_PROXIES entry "\*"/],
    ]
  ) {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: value as string }), (error: Error) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, message as RegExp);
      return true;
    });
  }
});

Deno.test("loadConfig() reads PUBLIC_URL as an origin and refuses anything else", () => {
  assert.equal(
    loadConfig({ PUBLIC_URL: "https://Chat.Example.com/" }).publicUrl,
    "https://chat.example.com",
  );
  assert.equal(
    loadConfig({ PUBLIC_URL: "http://127.0.0.1:8080" }).publicUrl,
    "http://127.0.0.1:8080",
  );
  for (
    const [value, message] of [
      ["chat.example.com", /expected https:\/\/host/],
      ["ftp://chat.example.com", /expected an http:\/\/ or https:\/\/ URL/],
      ["https://chat.example.com/chat", /scheme:\/\/host\[:port\] only/],
      ["https://user:pw@chat.example.com", /scheme:\/\/host\[:port\] only/],
      ["https://chat.example.com/?a=1", /scheme:\/\/host\[:port\] only/],
    ]
  ) {
    assert.throws(
      () => loadConfig({ PUBLIC_URL: value as string }),
      (error: Error) =>
        error instanceof ConfigError && /^Invalid PUBLIC_URL/.test(error.message) &&
        (message as RegExp).test(error.message),
      value as string,
    );
  }
});

Deno.test("loadConfig() takes TLS_CERT and TLS_KEY together, under deno run only", () => {
  const run = { launch: "run" } as const;
  assert.deepEqual(loadConfig({ TLS_CERT: "c.pem", TLS_KEY: " k.pem " }, run).tls, {
    certPath: "c.pem",
    keyPath: "k.pem",
  });
  assert.throws(() => loadConfig({ TLS_CERT: "c.pem" }, run), /^ConfigError: Missing TLS_KEY/);
  assert.throws(() => loadConfig({ TLS_KEY: "k.pem" }, run), /^ConfigError: Missing TLS_CERT/);
  // deno serve has no way to serve HTTPS: say so rather than serve plain HTTP.
  assert.throws(
    () => loadConfig({ TLS_CERT: "c.pem", TLS_KEY: "k.pem" }, { launch: "serve" }),
    (error: Error) => error instanceof ConfigError && /under deno serve/.test(error.message),
  );
});
