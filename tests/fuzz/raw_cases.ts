/**
 * Fuzz cases over raw TCP: malformed WebSocket upgrade requests followed by
 * hand-built (often illegal) frames, and HTTP requests `fetch` will not send:
 * unnormalised and percent-garbage paths, odd methods and broken framing.
 *
 * @module
 */
import type { FuzzContext } from "./context.ts";
import { checkEnvelope } from "./envelope_check.ts";
import { BAD_ROOMS, encodeSegment } from "./http_cases.ts";
import type { Rng } from "./random.ts";
import { encodeFrame, RawConnection, type RawResponse, type ReadEnd } from "./raw_http.ts";
import { showBytes, showText } from "./tally.ts";
import { forgeToken } from "./tokens.ts";

const encoder = new TextEncoder();
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

async function acceptFor(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode(key + GUID));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

function describeEnd(end: ReadEnd): string {
  if (end.kind === "eof") {
    return `EOF after ${end.partial.byteLength} bytes ${showBytes(end.partial, 80)}`;
  }
  if (end.kind === "reset") return `reset (${end.error})`;
  if (end.kind === "garbled") return `garbled: ${end.why}`;
  return "timeout";
}

/** Checks one raw response: no 5xx, and the envelope on JSON answers under `/api/`. */
function checkRawResponse(
  ctx: FuzzContext,
  response: RawResponse,
  path: string,
  head: boolean,
  sample: string,
): void {
  ctx.tally.outcome(`raw ${response.status}`);
  const text = new TextDecoder().decode(response.body);
  const what = `${sample} → ${response.statusLine} ${showText(text, 200)}`;
  if (response.status >= 500) ctx.tally.fail("5xx", what);
  if (!head && response.status !== 101 && (path.startsWith("/api/") || path.startsWith("http"))) {
    const checked = checkEnvelope(
      response.status,
      response.headers.get("content-type") ?? null,
      text,
    );
    if (!checked.ok) ctx.tally.fail("envelope", `${what} (${checked.problem})`);
  }
}

function randomKey(rng: Rng): string {
  return btoa(String.fromCharCode(...rng.bytes(16)));
}

/** A raw upgrade with mutated headers; after a 101, random legal and illegal frames. */
export async function rawHandshakeCase(ctx: FuzzContext): Promise<void> {
  const { rng, tally } = ctx;
  ctx.count();
  const room = rng.chance(0.85)
    ? encodeSegment(rng.pick(ctx.rooms))
    : rng.pick([...BAD_ROOMS, "%ZZ", "..", "%00"]);
  const path = `/api/v1/rooms/${room}/${rng.pick(["ws", "messages/ws"])}${
    rng.chance(0.2) ? rng.pick(["?batch=1", "?since=0", "?since=x", "?%ZZ"]) : ""
  }`;
  const method = rng.weighted(
    [[9, "GET"], [1, rng.pick(["POST", "HEAD", "get", "OPTIONS"])]] as const,
  );
  const version = rng.chance(0.95) ? "HTTP/1.1" : "HTTP/1.0";
  const key = randomKey(rng);
  const lines: string[] = [];
  const mutate = (
    name: string,
    normal: string | undefined,
    odd: readonly (string | undefined)[],
  ) => {
    const value = rng.chance(0.75) ? normal : rng.pick(odd);
    if (value !== undefined) lines.push(`${name}: ${value}`);
    return value;
  };
  mutate("Host", `127.0.0.1:${ctx.port}`, [
    undefined,
    "",
    "evil.example",
    `127.0.0.1:${ctx.port}, other`,
  ]);
  mutate("Upgrade", "websocket", [
    undefined,
    "",
    "WebSocket",
    "websocket, h2c",
    "h2c",
    "websocket\u00ff",
    "web socket",
  ]);
  mutate("Connection", "Upgrade", [
    undefined,
    "",
    "upgrade",
    "keep-alive, Upgrade",
    "close",
    "keep-alive",
    "Upgrade, close",
  ]);
  const sentKey = mutate("Sec-WebSocket-Key", key, [
    undefined,
    "",
    "abc",
    "x".repeat(24),
    btoa("x".repeat(32)),
    `${key}, ${key}`,
    "%%%%%%%%%%%%%%%%%%%%%%%%",
  ]);
  const sentVersion = mutate("Sec-WebSocket-Version", "13", [
    undefined,
    "",
    "8",
    "13, 8",
    "abc",
    "130",
  ]);
  const token = await forgeToken(rng, ctx.tokens);
  const protocol = rng.weighted<string | undefined>([
    [4, undefined],
    [3, token.token],
    [1, `${token.token},chat`],
    [1, `${token.token}, chat`],
    [1, `, ${token.token}`],
    [
      1,
      rng.pick([
        ",",
        " , ",
        " ",
        "a b",
        "\u00e9t\u00e9",
        "x".repeat(rng.pick([500, 9000, 70000])),
        `${token.token} ${token.token}`,
      ]),
    ],
  ]);
  if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  if (rng.chance(0.15)) lines.push(`Authorization: Bearer ${token.token}`);
  if (rng.chance(0.15)) {
    lines.push(
      `Origin: ${
        rng.pick([`http://127.0.0.1:${ctx.port}`, "http://evil.example", "null", "\u00ff", ""])
      }`,
    );
  }
  if (rng.chance(0.1)) {
    lines.push(
      `Sec-WebSocket-Extensions: ${
        rng.pick([
          "permessage-deflate",
          "permessage-deflate; client_max_window_bits=99",
          "x-garbage",
        ])
      }`,
    );
  }
  let body = "";
  if (rng.chance(0.05)) {
    body = '{"text":"body on upgrade"}';
    lines.push(`Content-Length: ${body.length}`);
  }
  const request = `${method} ${path} ${version}\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
  const sample = `[raw handshake] ${showText(request, 600)}`;

  let conn: RawConnection;
  try {
    conn = await RawConnection.open(ctx.port);
  } catch (error) {
    tally.fail("connect", `${sample} → ${String(error)}`);
    return;
  }
  try {
    await conn.write(encoder.encode(request));
    const response = await conn.readResponse(ctx.timeoutMs, method === "HEAD");
    if (response.kind !== "response") {
      tally.outcome(`raw handshake ${response.kind}`);
      // Hyper may drop a request it cannot parse; anything else must be answered.
      const malformed = /[\u0080-\uffff]/.test(request) ||
        !lines.some((l) => l.startsWith("Host:"));
      if (!malformed) {
        tally.fail(
          response.kind === "timeout" ? "hang" : "reset",
          `${sample} → ${describeEnd(response)}`,
        );
      }
      return;
    }
    checkRawResponse(ctx, response, path, method === "HEAD", sample);
    if (response.status !== 101) return;
    const validKey = sentKey === key;
    if (!validKey || sentVersion !== "13") {
      const what = sentKey === undefined
        ? "no key"
        : !validKey
        ? "bad key"
        : sentVersion === undefined
        ? "no version"
        : "bad version";
      tally.warn(
        `handshake-accepted (${what})`,
        `${sample} → 101 for a handshake with key ${JSON.stringify(sentKey)} version ${
          JSON.stringify(sentVersion)
        }`,
      );
    } else if (response.headers.get("sec-websocket-accept") !== await acceptFor(key)) {
      tally.fail(
        "handshake-accept-header",
        `${sample} → accept ${response.headers.get("sec-websocket-accept")}`,
      );
    }
    const selected = response.headers.get("sec-websocket-protocol");
    if (selected !== undefined) {
      const offered = (protocol ?? "").split(",").map((p) => p.trim());
      if (!offered.includes(selected)) {
        tally.fail("handshake-protocol", `${sample} → selected ${showText(selected, 80)}`);
      }
    }
    await rawFrames(ctx, conn, sample);
  } finally {
    conn.close();
  }
}

interface RawFramePlan {
  readonly label: string;
  readonly bytes: Uint8Array;
  /** The server must close (any code) after this frame. */
  readonly mustClose: boolean;
  /** RFC 6455 says close, but Deno is known to let it pass: a warning, not a failure. */
  readonly lenient?: string;
  /** Nothing is sent after this frame. */
  readonly terminal?: boolean;
}

function rawFramePlan(rng: Rng): RawFramePlan {
  const text = (s: string) => encoder.encode(s);
  const closePayload = (code: number, reason: Uint8Array = new Uint8Array()) => {
    const out = new Uint8Array(2 + reason.byteLength);
    out[0] = code >> 8;
    out[1] = code & 0xff;
    out.set(reason, 2);
    return out;
  };
  return rng.weighted<() => RawFramePlan>([
    [
      4,
      () => ({
        label: "valid text",
        bytes: encodeFrame({ opcode: 1, payload: text(`{"text":"raw ${rng.int(0, 1e6)}"}`) }),
        mustClose: false,
      }),
    ],
    [
      1,
      () => ({
        label: "non-minimal length",
        bytes: encodeFrame({ opcode: 1, payload: text('{"text":"long len"}'), longLength: true }),
        mustClose: false,
      }),
    ],
    [2, () => ({
      label: "fragmented text",
      bytes: new Uint8Array([
        ...encodeFrame({ opcode: 1, payload: text('{"text":"frag'), fin: false }),
        ...encodeFrame({ opcode: 0, payload: text('mented"}') }),
      ]),
      mustClose: false,
    })],
    [2, () => ({
      label: "unmasked text",
      bytes: encodeFrame({ opcode: 1, payload: text('{"text":"unmasked"}'), mask: false }),
      mustClose: true,
      lenient: "unmasked-frame-accepted",
    })],
    [
      2,
      () => ({
        label: "reserved opcode",
        bytes: encodeFrame({ opcode: rng.pick([3, 4, 7, 11, 15]), payload: rng.bytes(4) }),
        mustClose: true,
      }),
    ],
    [
      2,
      () => ({
        label: "rsv bits",
        bytes: encodeFrame({ opcode: 1, payload: text('{"text":"x"}'), rsv: rng.int(1, 7) }),
        mustClose: true,
      }),
    ],
    [
      2,
      () => ({
        label: "continuation first",
        bytes: encodeFrame({ opcode: 0, payload: text("x") }),
        mustClose: true,
      }),
    ],
    [
      2,
      () => ({
        label: "ping over 125",
        bytes: encodeFrame({ opcode: 9, payload: rng.bytes(126) }),
        mustClose: true,
      }),
    ],
    [
      1,
      () => ({
        label: "fragmented ping",
        bytes: encodeFrame({ opcode: 9, payload: rng.bytes(3), fin: false }),
        mustClose: true,
      }),
    ],
    [
      1,
      () => ({
        label: "pong",
        bytes: encodeFrame({ opcode: 10, payload: rng.bytes(5) }),
        mustClose: false,
      }),
    ],
    [2, () => ({
      label: "close with odd code",
      bytes: encodeFrame({
        opcode: 8,
        payload: closePayload(rng.pick([0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535])),
      }),
      mustClose: true,
    })],
    [
      1,
      () => ({
        label: "close with 1 byte",
        bytes: encodeFrame({ opcode: 8, payload: new Uint8Array([3]) }),
        mustClose: true,
      }),
    ],
    [1, () => ({
      label: "close with bad UTF-8 reason",
      bytes: encodeFrame({ opcode: 8, payload: closePayload(1000, new Uint8Array([0xff, 0xfe])) }),
      mustClose: true,
    })],
    [
      2,
      () => ({
        label: "close 1000",
        bytes: encodeFrame({ opcode: 8, payload: closePayload(1000) }),
        mustClose: true,
      }),
    ],
    [
      2,
      () => ({
        label: "invalid UTF-8 text",
        bytes: encodeFrame({ opcode: 1, payload: new Uint8Array([0x22, 0xff, 0x22]) }),
        mustClose: true,
      }),
    ],
    [1, () => ({
      label: "text split inside a code point",
      bytes: new Uint8Array([
        ...encodeFrame({
          opcode: 1,
          payload: new Uint8Array([
            0x7b,
            0x22,
            0x74,
            0x65,
            0x78,
            0x74,
            0x22,
            0x3a,
            0x22,
            0xf0,
            0x9f,
          ]),
          fin: false,
        }),
        ...encodeFrame({ opcode: 0, payload: new Uint8Array([0x92, 0xa9, 0x22, 0x7d]) }),
      ]),
      mustClose: false,
    })],
    [1, () => {
      const header = new Uint8Array([0x81, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
      return { label: "declared length 2^62", bytes: header, mustClose: true };
    }],
    [1, () => {
      const header = new Uint8Array([0x81, 0xff, 0, 0, 0, 0, 0x10, 0, 0, 0, 1, 2, 3, 4]);
      return { label: "declared length 256 MiB", bytes: header, mustClose: true };
    }],
    // Random bytes may declare a long frame that swallows whatever follows: send nothing after them.
    [
      1,
      () => ({
        label: "random bytes",
        bytes: rng.bytes(rng.int(1, 64)),
        mustClose: false,
        terminal: true,
      }),
    ],
  ])();
}

async function rawFrames(ctx: FuzzContext, conn: RawConnection, handshake: string): Promise<void> {
  const { rng, tally } = ctx;
  const plans: RawFramePlan[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) {
    const plan = rawFramePlan(rng);
    plans.push(plan);
    ctx.count();
    if (!(await conn.write(plan.bytes))) break;
    if (plan.mustClose || plan.terminal) break;
  }
  const mustClose = plans.some((p) => p.mustClose);
  const lenient = plans.find((p) => p.mustClose)?.lenient;
  const sample = `${handshake.slice(0, 400)} frames: ${plans.map((p) => p.label).join(", ")}`;
  const deadline = Date.now() + (mustClose ? (lenient ? 2000 : ctx.timeoutMs) : 300);
  while (true) {
    const left = deadline - Date.now();
    if (left <= 0) {
      if (lenient) {
        tally.outcome("raw ws open (lenient)");
        tally.warn(lenient, `${sample} → still open after 2 s`);
      } else if (mustClose) {
        tally.outcome("raw ws no close");
        tally.fail("ws-hang", `${sample} → no close within ${ctx.timeoutMs} ms`);
      } else tally.outcome("raw ws open");
      return;
    }
    const frame = await conn.readFrame(left);
    if (frame.kind === "frame") {
      if (frame.opcode === 8) {
        const code = frame.payload.byteLength >= 2
          ? (frame.payload[0]! << 8) | frame.payload[1]!
          : 1005;
        tally.outcome(`raw ws close ${code} after ${plans[plans.length - 1]?.label ?? "nothing"}`);
        if (code === 1011) tally.fail("ws-1011", `${sample} → close 1011`);
        return;
      }
      continue;
    }
    if (frame.kind === "timeout") continue;
    tally.outcome(`raw ws ${frame.kind} after ${plans[plans.length - 1]?.label ?? "nothing"}`);
    if (frame.kind === "garbled") tally.fail("ws-frame", `${sample} → ${describeEnd(frame)}`);
    return;
  }
}

/** A raw HTTP request: odd paths, methods and framing. */
export async function rawHttpCase(ctx: FuzzContext): Promise<void> {
  const { rng, tally } = ctx;
  const host = `Host: 127.0.0.1:${ctx.port}`;
  const json = (
    body: string,
  ) => [`Content-Type: application/json`, `Content-Length: ${encoder.encode(body).byteLength}`];
  const cred = '{"username":"fzraw","secret":"s"}';
  type Raw = {
    label: string;
    bytes: Uint8Array;
    path: string;
    head?: boolean;
    wellFormed: boolean;
    responses?: number;
    statuses?: number[];
  };
  const line = (
    method: string,
    path: string,
    headers: string[],
    body = "",
    version = "HTTP/1.1",
  ): Uint8Array =>
    encoder.encode(
      `${method} ${path} ${version}\r\n${
        [host, "Connection: close", ...headers].join("\r\n")
      }\r\n\r\n${body}`,
    );
  const oddPath = () =>
    rng.pick([
      "/api/v1/../v1/users/1",
      "/api/v1/users/../../../etc/passwd",
      "/api/../api/v1/rooms/lobby",
      "/api/v1/rooms/%ZZ/messages",
      "/api/v1/rooms/%/messages",
      "/api/v1/rooms/%00/messages",
      "/api/v1/rooms/a%00b",
      "/api/v1/users/%00",
      "/api/v1/users/1%00",
      "/api/v1/users/%2e%2e",
      "/api/v1/users/%ZZ",
      "/api/v1/users/%C0%AF",
      "//api//v1//users//1",
      "/api/v1/users/1?%ZZ=%ZZ&%00",
      "/api/v1/rooms/lobby/messages?before=%ZZ&limit=%00",
      "/api/v1/rooms/lobby/messages?limit=1&limit=2",
      "/api/v1/rooms/..%2f..%2f/messages",
      "/api/v1/rooms/./messages",
      "/api/v1/rooms/../messages",
      "/api/v1/rooms/" + "a".repeat(rng.pick([100, 8000, 60000])) + "/messages",
      "/api/v1/" + "../".repeat(50),
      "/api/v1/users/" + "9".repeat(5000),
      "/api/v1/login?" + "a=1&".repeat(2000),
      `http://127.0.0.1:${ctx.port}/api/v1/users/1`,
      "/api/v1/rooms/\u00e9\u00e9/messages",
      "/api/v1/users/\u00ff",
      "/api/v1/rooms/lobby#frag",
      "/api/v1/rooms/lobby\\..\\..\\x",
    ]);
  const make = rng.weighted<() => Raw>([
    [5, () => {
      const path = oddPath();
      const method = rng.pick(["GET", "GET", "HEAD", "POST", "DELETE", "OPTIONS", "PUT"]);
      const raw = /[^\x21-\x7e]/.test(path);
      return {
        label: `odd path ${method}`,
        bytes: line(method, path, []),
        path,
        head: method === "HEAD",
        wellFormed: !raw,
      };
    }],
    [3, () => {
      const method = rng.pick([
        "TRACE",
        "CONNECT",
        "PROPFIND",
        "get",
        "Get",
        "M-SEARCH",
        "X".repeat(rng.pick([10, 2000])),
        "G@T",
        "PRI",
      ]);
      const path = rng.pick([
        "/api/v1/users",
        "/api/v1/login",
        "/api/v1/rooms/lobby/messages",
        "/api/v1/users/1",
        "/api/v1/rooms/lobby/ws",
      ]);
      const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method) && method.length < 100 &&
        method !== "CONNECT" && method !== "PRI";
      return {
        label: `method ${method.slice(0, 20)}`,
        bytes: line(method, path, []),
        path,
        wellFormed: token,
      };
    }],
    [3, () => {
      const declared = rng.pick([cred.length + 10, 16 * 1024, 100_000]);
      return {
        label: `content-length ${declared} > sent, then half-close`,
        bytes: line("POST", "/api/v1/users", [
          "Content-Type: application/json",
          `Content-Length: ${declared}`,
        ], cred),
        path: "/api/v1/users",
        wellFormed: false,
        statuses: [400, 413],
      };
    }],
    [2, () => ({
      label: "content-length 20000 declared (413 before reading)",
      bytes: line("POST", rng.pick(["/api/v1/users", "/api/v1/login"]), [
        "Content-Type: application/json",
        "Content-Length: 20000",
      ], "{"),
      path: "/api/v1/users",
      wellFormed: false,
      statuses: [413],
    })],
    [2, () => {
      const value = rng.pick([
        "abc",
        "-1",
        "1.5",
        "0x10",
        "99999999999999999999999",
        " 5",
        "5, 6",
        "",
      ]);
      return {
        label: `content-length ${JSON.stringify(value)}`,
        bytes: line("POST", "/api/v1/users", [
          "Content-Type: application/json",
          `Content-Length: ${value}`,
        ], cred),
        path: "/api/v1/users",
        wellFormed: false,
      };
    }],
    [3, () => {
      const big = rng.chance(0.5);
      const chunk = big ? "x".repeat(9000) : cred;
      const chunks = big
        ? `2328\r\n${chunk}\r\n2328\r\n${chunk}\r\n0\r\n\r\n`
        : `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`;
      return {
        label: big ? "chunked body over 16 KiB" : "chunked body",
        bytes: line("POST", "/api/v1/users", [
          "Content-Type: application/json",
          "Transfer-Encoding: chunked",
        ], chunks),
        path: "/api/v1/users",
        wellFormed: true,
        statuses: big ? [413] : [201, 409],
      };
    }],
    [3, () => {
      const bad = rng.pick([
        "zz\r\nabc\r\n0\r\n\r\n",
        "5\r\nabc\r\n0\r\n\r\n",
        "-1\r\n\r\n",
        "ffffffffffffffffff\r\nx\r\n",
        `${cred.length.toString(16)}\r\n${cred}`,
        "3;ext=\u00ff\r\n{}x\r\n0\r\n\r\n",
      ]);
      return {
        label: "malformed chunked",
        bytes: line("POST", rng.pick(["/api/v1/users", "/api/v1/login"]), [
          "Content-Type: application/json",
          "Transfer-Encoding: chunked",
        ], bad),
        path: "/api/v1/users",
        wellFormed: false,
        statuses: [400],
      };
    }],
    [1, () => ({
      label: "content-length and chunked",
      bytes: line("POST", "/api/v1/users", [
        "Content-Type: application/json",
        "Content-Length: 3",
        "Transfer-Encoding: chunked",
      ], `${cred.length.toString(16)}\r\n${cred}\r\n0\r\n\r\n`),
      path: "/api/v1/users",
      wellFormed: false,
    })],
    [2, () => ({
      label: "expect 100-continue",
      bytes: line("POST", "/api/v1/login", ["Expect: 100-continue", ...json(cred)], cred),
      path: "/api/v1/login",
      wellFormed: true,
      statuses: [100, 200, 400, 401, 429],
    })],
    [2, () => {
      const header = rng.pick([
        "NoColon",
        " Leading: space",
        "Bad Name: x",
        "X-Nul: a\u0000b",
        "X-Fold: a\r\n b",
        `X-Huge: ${"h".repeat(rng.pick([9000, 70000, 300000]))}`,
        ...Array.from(
          { length: 1 },
          () => Array.from({ length: 150 }, (_, i) => `X-Many-${i}: ${i}`).join("\r\n"),
        ),
        "Content-Type: application/json\r\nContent-Type: text/plain",
        `Authorization: Bearer ${"\u00ff".repeat(20)}`,
      ]);
      return {
        label: `header ${header.slice(0, 24)}`,
        bytes: line("GET", "/api/v1/users/me", [header]),
        path: "/api/v1/users/me",
        wellFormed: false,
      };
    }],
    [2, () => {
      const bad = rng.pick([
        `127.0.0.1:${ctx.port}, other`,
        "a b",
        "",
        "[::1",
        "x:99999",
        "\u00ff",
        "a/b",
        "user@host",
        "%00",
      ]);
      const path = rng.pick([
        "/api/v1/rooms/lobby/messages",
        "/api/v1/rooms/lobby",
        "/api/v1/users/1",
        "/api/v1/rooms/lobby/ws",
        "/healthz",
      ]);
      return {
        label: `Host ${JSON.stringify(bad)}`,
        bytes: encoder.encode(`GET ${path} HTTP/1.1\r\nHost: ${bad}\r\nConnection: close\r\n\r\n`),
        path,
        wellFormed: false,
      };
    }],
    [1, () => ({
      label: "HTTP/1.0 without Host",
      bytes: encoder.encode("GET /api/v1/rooms/lobby HTTP/1.0\r\n\r\n"),
      path: "/api/v1/rooms/lobby",
      wellFormed: false,
    })],
    [1, () => ({
      label: rng.pick(["HTTP/0.9", "HTTP/2 preface", "garbage line", "HTTP/9.9"]),
      bytes: encoder.encode(
        rng.pick([
          "GET /api/v1/users/1\r\n\r\n",
          "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
          "\u0000\u0001\u0002 garbage\r\n\r\n",
          "GET /api/v1/users/1 HTTP/9.9\r\nHost: x\r\n\r\n",
        ]),
      ),
      path: "/api/v1/users/1",
      wellFormed: false,
    })],
    [2, () => {
      const one = `GET /api/v1/users/1 HTTP/1.1\r\n${host}\r\n\r\n`;
      const two = `POST /api/v1/login HTTP/1.1\r\n${host}\r\n${
        json(cred).join("\r\n")
      }\r\n\r\n${cred}`;
      const three =
        `GET /api/v1/rooms/%ZZ/messages HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`;
      return {
        label: "pipelined 3",
        bytes: encoder.encode(one + two + three),
        path: "/api/v1/users/1",
        wellFormed: true,
        responses: 3,
      };
    }],
  ]);
  const raw = make();
  ctx.count();
  const sample = `[raw ${raw.label}] ${showBytes(raw.bytes, 400)}`;
  let conn: RawConnection;
  try {
    conn = await RawConnection.open(ctx.port);
  } catch (error) {
    tally.fail("connect", `${sample} → ${String(error)}`);
    return;
  }
  try {
    await conn.write(raw.bytes);
    if (raw.label.includes("half-close")) await conn.closeWrite();
    for (let i = 0; i < (raw.responses ?? 1); i++) {
      // A malformed request may leave the server waiting for bytes that never come.
      const wait = raw.wellFormed ? ctx.timeoutMs : 3000;
      let response = await conn.readResponse(wait, raw.head);
      if (response.kind === "response" && response.status === 100) {
        response = await conn.readResponse(wait, raw.head);
      }
      if (response.kind !== "response") {
        tally.outcome(`raw ${response.kind} (${raw.label.replace(/\d{3,}/g, "N").slice(0, 40)})`);
        if (raw.wellFormed) {
          tally.fail(
            response.kind === "timeout" ? "hang" : "reset",
            `${sample} → ${describeEnd(response)} (response ${i + 1})`,
          );
        }
        return;
      }
      checkRawResponse(ctx, response, raw.path, raw.head ?? false, sample);
      if (raw.statuses && !raw.statuses.includes(response.status) && response.status < 500) {
        tally.fail(
          "contract",
          `${sample} → ${response.statusLine} (expected ${raw.statuses.join("/")})`,
        );
      }
    }
  } finally {
    conn.close();
  }
}
