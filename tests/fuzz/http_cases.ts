/**
 * Fuzz cases sent through `fetch`: sign-up and login bodies, random methods
 * and paths under `/api/`, user lookups, `/users/me` with forged tokens,
 * history queries and room info.
 *
 * @module
 */
import { bindsAsCredentials, BODY_LIMIT, credentialBody, isJsonMediaType } from "./bodies.ts";
import { type FuzzContext, remember } from "./context.ts";
import { sendHttp } from "./http_send.ts";
import type { Rng } from "./random.ts";
import { randomString, randomUnicode } from "./strings.ts";
import { forgeToken } from "./tokens.ts";

const METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "PROPFIND",
  "FOO",
  "get",
  "M-SEARCH",
];

const SEGMENTS = [
  "api",
  "v1",
  "v2",
  "users",
  "login",
  "rooms",
  "messages",
  "ws",
  "me",
  "lobby",
  "1",
  "0",
  "-1",
  "",
  ".",
  "..",
  "%2e%2e",
  "%2E%2e%2f",
  "%ZZ",
  "%",
  "%0",
  "%00",
  "%0a",
  "%20",
  "%2F",
  "%ED%A0%80",
  "%C0%AF",
  "%FF",
  "%E2%80%8B",
  ";",
  "a;b=c",
  "~",
  "*",
  "@",
  "%25",
  "\u00e9",
  "\u{1f4a9}",
  "healthz",
  "metrics",
];

/** A random header list: garbage authorization, protocols, origins and more. */
export async function randomHeaders(ctx: FuzzContext, rng: Rng): Promise<[string, string][]> {
  const headers: [string, string][] = [];
  for (let i = rng.int(0, 3); i > 0; i--) {
    const kind = rng.int(0, 9);
    if (kind <= 2) {
      const forged = await forgeToken(rng, ctx.tokens);
      headers.push([
        "authorization",
        rng.pick([
          `Bearer ${forged.token}`,
          `bearer ${forged.token}`,
          `Bearer\t${forged.token}`,
          `Bearer  ${forged.token} `,
          "Bearer",
          "Bearer ",
          `Basic ${btoa("a:b")}`,
          `Bearer ${forged.token} extra`,
          `Bearer ${"x".repeat(rng.pick([1000, 8000, 20000]))}`,
        ]),
      ]);
    } else if (kind === 3) {
      headers.push([
        "sec-websocket-protocol",
        rng.pick([",", " , ", "a b", "x,y", "\u00e9", rng.chars(rng.int(1, 200))]),
      ]);
    } else if (kind === 4) {
      headers.push([
        "origin",
        rng.pick([
          "null",
          "http://evil.example",
          ctx.base,
          "garbage",
          "http://[::1",
          rng.chars(rng.int(1, 300)),
        ]),
      ]);
    } else if (kind === 5) {
      headers.push([
        `x-${rng.chars(rng.int(1, 20), 0x61, 0x7a)}`,
        rng.chars(rng.int(0, rng.pick([10, 500, 6000]))),
      ]);
    } else if (kind === 6) {
      headers.push(["accept", rng.pick(["*/*", "text/html", "application/json;q=0", "\u00ff"])]);
    } else if (kind === 7) {
      headers.push(["cookie", rng.chars(rng.int(0, 400))]);
    } else if (kind === 8) {
      headers.push([
        "x-forwarded-for",
        rng.pick(["1.2.3.4", "::1", "garbage", "1.2.3.4, 5.6.7.8"]),
      ]);
    } else {
      headers.push(["accept-encoding", rng.pick(["gzip", "br, deflate", "identity;q=0", "*"])]);
    }
  }
  return headers;
}

/** Percent-encodes every UTF-8 byte of `text` that is not unreserved; lone surrogates become the bytes of U+FFFD. */
export function encodeSegment(text: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** POST `/api/v1/users` or `/api/v1/login` with a mutated body. */
export async function credentialsCase(ctx: FuzzContext): Promise<void> {
  const { rng } = ctx;
  const target = rng.chance(0.55) ? "users" : "login";
  const body = credentialBody(rng, ctx.known);
  const headers: [string, string][] = [];
  if (body.contentType !== undefined) headers.push(["content-type", body.contentType]);
  if (rng.chance(0.15)) headers.push(...await randomHeaders(ctx, rng));
  const media = isJsonMediaType(body.contentType);
  const binds = bindsAsCredentials(body.bytes);
  const size = body.bytes.byteLength;
  let statuses: number[];
  let types: string[];
  if (!media) {
    statuses = size > BODY_LIMIT ? [400, 413] : [400];
    types = ["BAD_BINDING", "PAYLOAD_TOO_LARGE"];
  } else if (size > BODY_LIMIT) {
    statuses = [413];
    types = ["PAYLOAD_TOO_LARGE"];
  } else if (!binds) {
    statuses = [400];
    types = ["BAD_BINDING"];
  } else if (target === "users") {
    statuses = [201, 400, 409, 429];
    types = ["BAD_USERNAME", "BAD_PASSWORD", "USER_EXISTS", "RATE_LIMITED"];
  } else {
    statuses = [200, 400, 401, 429];
    types = ["USER_NOT_FOUND", "PASSWORD_MATCH_FAILED", "RATE_LIMITED"];
  }
  const result = await sendHttp(ctx, {
    method: "POST",
    path: `/api/v1/${target}`,
    headers,
    body: body.bytes,
    label: `${target}: ${body.label}`,
  }, { statuses, types, resetOk: size > BODY_LIMIT });
  if (!result?.envelope || result.status >= 300) return;
  const data = result.envelope.data as Record<string, unknown> | null;
  if (target === "users" && result.status === 201) {
    const sent = JSON.parse(new TextDecoder().decode(body.bytes)) as {
      username: string;
      secret: string;
    };
    remember(ctx.known, { username: sent.username, secret: sent.secret }, 300);
    if (typeof data?.id === "number") remember(ctx.tokens.userIds, data.id, 300);
  }
  if (target === "login" && typeof data?.token === "string") {
    remember(ctx.tokens.issued, data.token, 50);
  }
}

function randomApiPath(rng: Rng): string {
  const parts: string[] = rng.chance(0.8) ? ["api", "v1"] : ["api"];
  for (let i = rng.int(0, 5); i > 0; i--) parts.push(rng.pick(SEGMENTS));
  if (rng.chance(0.05)) parts.push("a".repeat(rng.pick([1000, 8000, 40000])));
  if (rng.chance(0.1)) parts.push(encodeSegment(randomUnicode(rng, rng.int(1, 20))));
  let path = "/" + parts.join("/");
  if (rng.chance(0.1)) path += "/";
  if (rng.chance(0.2)) {
    path += `?${rng.pick(["a=1", "%ZZ", "a=%00", "&&&", "=", "x=" + "y".repeat(3000)])}`;
  }
  return path;
}

/** A random method on a random path under `/api/`. */
export async function routeCase(ctx: FuzzContext): Promise<void> {
  const { rng } = ctx;
  // Some methods are unique: any token is a valid method, so nothing keyed by it may grow without bound.
  const method = rng.chance(0.2) ? `FZ${rng.chars(8, 0x41, 0x5a)}` : rng.pick(METHODS);
  const path = randomApiPath(rng);
  const headers = await randomHeaders(ctx, rng);
  const withBody = method !== "GET" && method !== "HEAD" && rng.chance(0.5);
  let body: Uint8Array | undefined;
  if (withBody) {
    const made = credentialBody(rng, ctx.known);
    body = made.bytes;
    if (made.contentType !== undefined) headers.push(["content-type", made.contentType]);
  }
  await sendHttp(ctx, { method, path, headers, body, label: "route" }, {
    resetOk: (body?.byteLength ?? 0) > BODY_LIMIT,
  });
}

/** `GET /api/v1/users/<garbage>`. */
export async function userLookupCase(ctx: FuzzContext): Promise<void> {
  const { rng } = ctx;
  const raw = rng.weighted<() => string>([
    [3, () => String(rng.pick(ctx.tokens.userIds.length > 0 ? ctx.tokens.userIds : [1]))],
    [2, () =>
      rng.pick([
        "0",
        "-1",
        "01",
        "1.0",
        "1e3",
        "0x10",
        " 1",
        "1 ",
        "9007199254740991",
        "9007199254740992",
        "99999999999999999999",
        "9".repeat(400),
        "NaN",
        "Infinity",
        "null",
        "%ZZ",
        "%00",
        "%31",
        "1%00",
        "%2e%2e",
        "..",
        ".",
        "me",
        "ME",
        "me%20",
        "%F0%9F%92%A9",
        "%ED%A0%80",
        "\u00e9",
      ])],
    [2, () => encodeSegment(randomString(rng))],
    [1, () => rng.chars(rng.int(1, 50), 0x21, 0x7e).replace(/[/?#]/g, "_")],
  ])();
  const headers = rng.chance(0.3) ? await randomHeaders(ctx, rng) : [];
  await sendHttp(ctx, {
    method: rng.chance(0.9) ? "GET" : "HEAD",
    path: `/api/v1/users/${raw}`,
    headers,
    label: "user lookup",
  }, {
    statuses: [200, 400, 401, 404],
    types: ["BAD_QUERY", "USER_NOT_FOUND", "INVALID_AUTH_TOKEN", "NOT_FOUND"],
  });
}

/** `GET /api/v1/users/me` with a real, forged or garbage token. */
export async function meCase(ctx: FuzzContext): Promise<void> {
  const { rng } = ctx;
  const forged = await forgeToken(rng, ctx.tokens);
  const scheme = rng.pick(["Bearer ", "Bearer ", "bearer ", "BEARER\t", "Bearer  "]);
  const none = rng.chance(0.1);
  await sendHttp(ctx, {
    method: "GET",
    path: "/api/v1/users/me",
    headers: none ? [] : [["authorization", scheme + forged.token]],
    label: `me: ${none ? "no token" : forged.label}`,
  }, {
    statuses: !none && forged.valid ? [200, 404] : [401],
    types: !none && forged.valid ? ["USER_NOT_FOUND"] : ["INVALID_AUTH_TOKEN"],
  });
}

const GOOD_SEQ = ["1", "2", "50", "1000", "9007199254740991"];
const BAD_SEQ = [
  "0",
  "-1",
  "abc",
  "1.5",
  "1e3",
  "",
  " 1",
  "0x10",
  "%ZZ",
  "%00",
  "99999999999999999999",
  "9007199254740992",
  "\u00e9",
];
const GOOD_LIMIT = ["1", "50", "100"];
const BAD_LIMIT = ["0", "101", "-5", "ten", "", "100.0", "1e2", "%ZZ"];

/** Invalid room names (encoded for a path) that the contract refuses with 400. */
export const BAD_ROOMS = [
  "a%20b",
  "%20",
  "%09tab",
  "a%2Fb",
  "%00",
  "x%7F",
  "%E2%80%8B",
  "%E2%80%A8",
  "%EF%BB%BF",
  "%C2%85",
  "x".repeat(65),
  "%F0%9F%92%A9".repeat(65),
];

/** `GET /rooms/:room/messages` with good and bad `before`/`limit`, and room info routes. */
export async function historyCase(ctx: FuzzContext): Promise<void> {
  const { rng } = ctx;
  const goodRoom = rng.chance(0.8);
  const room = goodRoom ? encodeSegment(rng.pick(ctx.rooms)) : rng.pick(BAD_ROOMS);
  const route = rng.weighted([[6, "messages"], [2, ""], [2, "users"]] as const);
  const params: string[] = [];
  let goodQuery = true;
  if (route === "messages") {
    for (
      const [name, good, bad] of [["before", GOOD_SEQ, BAD_SEQ], [
        "limit",
        GOOD_LIMIT,
        BAD_LIMIT,
      ]] as const
    ) {
      const mode = rng.int(0, 5);
      if (mode <= 1) continue;
      if (mode <= 3) params.push(`${name}=${rng.pick(good)}`);
      else if (mode === 4) {
        goodQuery = false;
        params.push(`${name}=${rng.pick(bad)}`);
      } else {
        goodQuery = false;
        params.push(`${name}=${rng.pick(good)}`, `${name}=${rng.pick([...good, ...bad])}`);
      }
    }
    if (rng.chance(0.2)) params.push(rng.pick(["since=abc", "x=1", "batch=zz", "%ZZ=1", "=", "&"]));
  }
  const query = params.length > 0 ? `?${params.join("&")}` : "";
  const path = `/api/v1/rooms/${room}${route ? `/${route}` : ""}${query}`;
  const ok = goodRoom && goodQuery;
  await sendHttp(ctx, { method: "GET", path, label: `history ${route || "info"}` }, {
    statuses: ok ? [200] : [400],
    types: goodRoom ? ["BAD_QUERY"] : ["BAD_ROOM_NAME", "BAD_QUERY"],
  });
}

/** `GET /healthz`. */
export async function healthCase(ctx: FuzzContext): Promise<void> {
  await sendHttp(ctx, { method: "GET", path: "/healthz", label: "health" }, { statuses: [200] });
}
