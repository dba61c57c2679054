import assert from "node:assert/strict";
import { parseForwarded, parseNode } from "../../src/http/forwarded_header.ts";
import { formatIp } from "../../src/http/ip_range.ts";

Deno.test("parseForwarded() reads elements, pairs, quoted values and escapes", () => {
  assert.deepEqual(
    parseForwarded(
      'for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"',
    ),
    [
      { for: "192.0.2.60", proto: "http", by: "203.0.113.43" },
      { for: "[2001:db8:cafe::17]:4711" },
    ],
  );
  assert.deepEqual(parseForwarded('for="a,b;c=\\"d\\"" ; host=example.com'), [
    { for: 'a,b;c="d"', host: "example.com" },
  ]);
  // Several header lines arrive joined with ", ".
  assert.deepEqual(parseForwarded("for=10.0.0.1, for=10.0.0.2;proto=https"), [
    { for: "10.0.0.1" },
    { for: "10.0.0.2", proto: "https" },
  ]);
  assert.deepEqual(parseForwarded("for=1.2.3.4;;proto=https,"), [
    { for: "1.2.3.4", proto: "https" },
    {},
  ]);
});

Deno.test("parseForwarded() refuses a malformed header as a whole", () => {
  for (
    const header of [
      'for="1.2.3.4',
      'for="1.2.3.4\\',
      "for",
      "for=",
      "=1.2.3.4",
      "for=1.2.3.4 proto=https",
      "for=1.2.3.4;for=5.6.7.8",
      "for=[::1]",
      'for=1.2.3.4"',
    ]
  ) {
    assert.equal(parseForwarded(header), undefined, header);
  }
});

Deno.test("parseNode() reads addresses with and without ports and brackets", () => {
  const cases: [string, string | undefined][] = [
    ["192.0.2.60", "192.0.2.60"],
    [" 192.0.2.60 ", "192.0.2.60"],
    ["192.0.2.60:8080", "192.0.2.60"],
    ["[2001:db8:cafe::17]", "2001:db8:cafe::17"],
    ["[2001:db8:cafe::17]:4711", "2001:db8:cafe::17"],
    ["2001:db8:cafe::17", "2001:db8:cafe::17"],
    ["[::ffff:10.0.0.1]:80", "10.0.0.1"],
    ["192.0.2.60:_port", "192.0.2.60"],
    ["unknown", undefined],
    ["_hidden", undefined],
    ["", undefined],
    ["[192.0.2.60]", undefined],
    ["[2001:db8::1", undefined],
    ["[2001:db8::1]x", undefined],
    ["192.0.2.60:", undefined],
    ["example.com", undefined],
  ];
  for (const [text, expected] of cases) {
    const ip = parseNode(text);
    assert.equal(ip === undefined ? undefined : formatIp(ip), expected, text);
  }
});
