import assert from "node:assert/strict";
import { formatIp, inRanges, parseIp, parseIpRange } from "../../src/http/ip_range.ts";

const canonical = (text: string) => {
  const ip = parseIp(text);
  return ip === undefined ? undefined : formatIp(ip);
};

Deno.test("parseIp() reads IPv4 and IPv6 and formats them canonically", () => {
  const cases: [string, string][] = [
    ["127.0.0.1", "127.0.0.1"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["::1", "::1"],
    ["::", "::"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["1::", "1::"],
    ["1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"],
    ["fe80::1%eth0", "fe80::1"],
    // IPv4-mapped addresses are the IPv4 address, whichever way they are written.
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["::FFFF:a01:203", "10.1.2.3"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
  ];
  for (const [text, expected] of cases) assert.equal(canonical(text), expected, text);
});

Deno.test("parseIp() refuses what is not an address", () => {
  for (
    const text of [
      "",
      "unknown",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1.2.3.-4",
      " 1.2.3.4",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::8:9",
      "1::2::3",
      ":1",
      "1:::2",
      "12345::",
      "g::1",
      "::1.2.3",
      "1.2.3.4::",
      "[::1]",
    ]
  ) {
    assert.equal(parseIp(text), undefined, text);
  }
});

Deno.test("parseIpRange() reads addresses and CIDR ranges, ignoring host bits", () => {
  const loopback = parseIpRange("127.0.0.1/8");
  assert.ok(inRanges(parseIp("127.0.0.1")!, [loopback]));
  assert.ok(inRanges(parseIp("127.255.0.9")!, [loopback]));
  assert.ok(inRanges(parseIp("::ffff:127.0.0.9")!, [loopback]), "IPv4-mapped form");
  assert.ok(!inRanges(parseIp("128.0.0.1")!, [loopback]));
  assert.ok(!inRanges(parseIp("::1")!, [loopback]));

  const one = parseIpRange("10.0.0.7");
  assert.ok(inRanges(parseIp("10.0.0.7")!, [one]));
  assert.ok(!inRanges(parseIp("10.0.0.8")!, [one]));

  const v6 = parseIpRange("fd00::/8");
  assert.ok(inRanges(parseIp("fd12:3456::1")!, [v6]));
  assert.ok(!inRanges(parseIp("fe80::1")!, [v6]));

  const anyV4 = parseIpRange("0.0.0.0/0");
  assert.ok(inRanges(parseIp("203.0.113.9")!, [anyV4]));
  assert.ok(!inRanges(parseIp("2001:db8::1")!, [anyV4]), "an IPv4 /0 holds no IPv6 address");
  assert.ok(inRanges(parseIp("2001:db8::1")!, [parseIpRange("::/0")]));
  assert.ok(inRanges(parseIp("10.9.9.9")!, [parseIpRange("::ffff:10.0.0.0/104")]));
  assert.ok(!inRanges(parseIp("10.0.0.1")!, []));
});

Deno.test("parseIpRange() refuses bad addresses and prefix lengths", () => {
  for (
    const [text, message] of [
      ["10.0.0.0/33", /expected \/0 to \/32/],
      ["::/129", /expected \/0 to \/128/],
      ["10.0.0.0/", /bad prefix/],
      ["10.0.0.0/8/8", /bad prefix/],
      ["10.0.0.0/-1", /bad prefix/],
      ["10.0.0.0/x", /bad prefix/],
      ["localhost", /not an IP address/],
      ["fe80::1%eth0", /not an IP address/],
      ["", /not an IP address/],
    ] as const
  ) {
    assert.throws(() => parseIpRange(text), message, text);
  }
});
