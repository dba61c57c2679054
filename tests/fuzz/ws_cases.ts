/**
 * Room socket sessions over npm `ws`: random rooms, queries, tokens and
 * origins at the handshake, then random frames as an authenticated user or
 * an anonymous reader, checking every close code, echo and server frame.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import WebSocket from "ws";
import type { FuzzContext } from "./context.ts";
import { checkEnvelope } from "./envelope_check.ts";
import { BAD_ROOMS, encodeSegment } from "./http_cases.ts";
import { showText } from "./tally.ts";
import { type ForgedToken, forgeToken, TOKEN_CHARS } from "./tokens.ts";
import { anonymousEffect, type FrameEffect, type FramePlan, randomFrame } from "./ws_frames.ts";

const TOKEN_RE = new RegExp(`^[${TOKEN_CHARS.replace(/[-\\^\]]/g, "\\$&")}]+$`);

/** The user id in a token's `sub`, read without verifying. */
function tokenUserId(token: string): number | undefined {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" ? Number(sub) : undefined;
  } catch {
    return undefined;
  }
}

interface Handshake {
  readonly url: string;
  readonly roomName: string | undefined;
  readonly protocols: string[];
  readonly headers: Record<string, string>;
  readonly token: ForgedToken | undefined;
  readonly batch: boolean;
  /** 101, or the refusal the contract requires. */
  readonly expectStatus: number;
  readonly label: string;
}

async function planHandshake(ctx: FuzzContext): Promise<Handshake> {
  const { rng } = ctx;
  const badRoom = rng.chance(0.06);
  const roomName = badRoom ? undefined : rng.pick(ctx.rooms);
  const room = roomName === undefined ? rng.pick(BAD_ROOMS) : encodeSegment(roomName);
  const params: string[] = [];
  let badQuery = false;
  let batch = false;
  const since = rng.int(0, 9);
  if (since <= 1) params.push(`since=${rng.pick(["0", "1", "5", "40", String(rng.int(0, 3000))])}`);
  else if (since === 2) {
    badQuery = true;
    params.push(
      `since=${rng.pick(["-1", "abc", "1.5", "", "99999999999999999999", "%ZZ", "1e2"])}`,
    );
  }
  const batchMode = rng.int(0, 9);
  if (batchMode <= 2) {
    const value = rng.pick(["1", "true", "", "0", "false", "TRUE"]);
    batch = ["1", "true", ""].includes(value.toLowerCase());
    params.push(`batch=${value}`);
  } else if (batchMode === 3) {
    badQuery = true;
    params.push(`batch=${rng.pick(["2", "yes", "%00", "on"])}`);
  }
  const origin = rng.weighted([[7, "none"], [2, "same"], [1, "evil"]] as const);
  const headers: Record<string, string> = {};
  if (origin === "same") headers.origin = ctx.base;
  if (origin === "evil") {
    headers.origin = rng.pick(["http://evil.example", "null", "http://localhost:1", "garbage"]);
  }
  const authMode = rng.weighted(
    [[4, "protocol"], [1, "protocol+chat"], [2, "header"], [3, "anonymous"]] as const,
  );
  let token: ForgedToken | undefined;
  const protocols: string[] = [];
  if (authMode !== "anonymous") {
    token = await forgeToken(rng, ctx.tokens);
    if (authMode === "header" || !TOKEN_RE.test(token.token)) {
      headers.authorization = `Bearer ${token.token}`;
    } else {
      protocols.push(token.token);
      if (authMode === "protocol+chat" && token.token !== "chat") protocols.push("chat");
    }
  }
  let expectStatus = 101;
  if (badRoom || badQuery) expectStatus = 400;
  else if (origin === "evil") expectStatus = 403;
  else if (token && !token.valid) expectStatus = 401;
  const path = rng.pick(["messages/ws", "ws"]);
  const query = params.length > 0 ? `?${params.join("&")}` : "";
  return {
    url: `${ctx.base.replace("http", "ws")}/api/v1/rooms/${room}/${path}${query}`,
    roomName,
    protocols,
    headers,
    token,
    batch,
    expectStatus,
    label: `ws ${authMode}${token ? ` (${token.label})` : ""} origin=${origin} /${
      room.slice(0, 40)
    }/${path}${query}`,
  };
}

function send(ws: WebSocket, plan: FramePlan): void {
  if (plan.opcode === "ping") ws.ping(Buffer.from(plan.data as Uint8Array));
  else if (plan.opcode === "binary") {
    ws.send(Buffer.from(plan.data as Uint8Array), { binary: true });
  } else if (typeof plan.data === "string") ws.send(plan.data);
  else ws.send(Buffer.from(plan.data), { binary: false });
}

function describeFrames(plans: readonly FramePlan[]): string {
  return plans.map((p) =>
    `${p.label}: ${
      typeof p.data === "string" ? showText(p.data, 80) : `${p.data.byteLength} bytes`
    }`
  ).join(" | ");
}

/** One WebSocket session through npm `ws`. */
export async function wsSessionCase(ctx: FuzzContext): Promise<void> {
  const { rng, tally } = ctx;
  const hs = await planHandshake(ctx);
  ctx.count();
  const ws = new WebSocket(hs.url, hs.protocols, {
    headers: hs.headers,
    perMessageDeflate: false,
    handshakeTimeout: ctx.timeoutMs,
  });
  const userId = hs.token?.valid ? tokenUserId(hs.token.token) : undefined;
  const pending = new Set<string>();
  const sent: FramePlan[] = [];
  let lastSeq = 0;
  let wake: (() => void) | undefined;
  let closed: { code: number; reason: string } | undefined;
  let errorText = "";
  const sample = (what: string) => `[${hs.label}] frames: ${describeFrames(sent)} → ${what}`;

  const opened = await new Promise<"open" | "refused" | "failed">((resolve) => {
    ws.on(
      "unexpected-response",
      (
        req: { destroy(): void },
        res: {
          statusCode: number;
          headers: Record<string, string>;
          on(e: string, f: (x?: Buffer) => void): void;
        },
      ) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk?.toString("utf8") ?? ""));
        res.on("end", () => {
          const status = res.statusCode;
          tally.outcome(`ws handshake ${status}`);
          if (status >= 500) tally.fail("5xx", sample(`${status} ${showText(body, 200)}`));
          const checked = checkEnvelope(status, res.headers["content-type"] ?? null, body);
          if (!checked.ok) {
            tally.fail("envelope", sample(`${status} ${showText(body, 200)} (${checked.problem})`));
          }
          if (status !== hs.expectStatus) {
            tally.fail(
              "contract",
              sample(`handshake ${status} ${showText(body, 200)} (expected ${hs.expectStatus})`),
            );
          }
          req.destroy();
          resolve("refused");
        });
      },
    );
    ws.on("open", () => resolve("open"));
    ws.on("error", (error: Error) => {
      errorText = error.message;
      resolve("failed");
    });
    ws.on("close", (code: number, reason: Buffer) => {
      closed = { code, reason: reason.toString("utf8") };
      wake?.();
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        tally.fail("ws-frame", sample("the server sent a binary frame"));
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(data.toString("utf8"));
      } catch {
        tally.fail(
          "ws-frame",
          sample(`the server sent non-JSON ${showText(data.toString("utf8"), 100)}`),
        );
        return;
      }
      if (!Array.isArray(value) || value.length === 0 || (!hs.batch && value.length !== 1)) {
        tally.fail(
          "ws-frame",
          sample(
            `frame is not a ${hs.batch ? "non-empty" : "one-message"} array: ${
              showText(JSON.stringify(value), 100)
            }`,
          ),
        );
        return;
      }
      for (const message of value as Record<string, unknown>[]) {
        const seq = message?.seq;
        if (typeof seq !== "number" || seq <= lastSeq) {
          tally.fail("ws-order", sample(`seq ${String(seq)} after ${lastSeq}`));
        } else lastSeq = seq;
        if (message.room !== hs.roomName) {
          tally.fail("ws-frame", sample(`message of room ${showText(String(message.room), 40)}`));
        }
        const nonce = message.nonce;
        if (typeof nonce === "string" && pending.delete(nonce)) {
          const sender = message.sender as { id?: unknown } | undefined;
          if (userId !== undefined && sender?.id !== userId) {
            tally.fail(
              "ws-sender",
              sample(`echo sender ${JSON.stringify(sender)} for user ${userId}`),
            );
          }
        }
      }
      wake?.();
    });
  });

  const waitFor = (done: () => boolean, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (done()) return resolve(true);
      const timer = setTimeout(() => {
        wake = undefined;
        resolve(done());
      }, ms);
      wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        wake = undefined;
        resolve(true);
      };
    });
  const finish = async () => {
    if (ws.readyState !== WebSocket.CLOSED) {
      ws.terminate();
      await waitFor(() => closed !== undefined, 2000);
    }
  };

  if (opened === "refused") {
    await finish();
    return;
  }
  if (opened === "failed") {
    tally.outcome("ws handshake error");
    const expectedRefusal = hs.expectStatus !== 101;
    tally.fail(
      expectedRefusal ? "contract" : "ws-handshake",
      sample(`handshake failed: ${errorText}`),
    );
    await finish();
    return;
  }
  tally.outcome("ws handshake 101");
  if (hs.expectStatus !== 101) {
    tally.fail("contract", sample(`upgraded (expected ${hs.expectStatus})`));
  }

  let expected: FrameEffect | undefined;
  const count = rng.int(0, 6);
  for (let i = 0; i < count && !closed; i++) {
    const plan = randomFrame(rng);
    const effect = hs.token?.valid ? plan.effect : anonymousEffect(plan);
    sent.push(plan);
    ctx.count();
    send(ws, plan);
    if (effect.kind === "ok" && effect.nonce) pending.add(effect.nonce);
    if (effect.kind === "close" || effect.kind === "any-close") {
      expected = effect;
      break;
    }
  }

  if (expected) {
    const ended = await waitFor(() => closed !== undefined, ctx.timeoutMs);
    if (!ended || !closed) {
      tally.outcome("ws no close");
      tally.fail(
        "ws-hang",
        sample(`no close within ${ctx.timeoutMs} ms (expected ${JSON.stringify(expected)})`),
      );
    } else {
      const got: { code: number; reason: string } = closed;
      const after = got.code === 1006 ? ` after ${sent[sent.length - 1]?.label}` : "";
      tally.outcome(`ws close ${got.code}${got.reason ? ` ${got.reason}` : ""}${after}`);
      if (expected.kind === "close" && got.code !== expected.code) {
        tally.fail(
          got.code === 1006 ? "ws-reset" : "ws-close",
          sample(`close ${got.code} "${got.reason}" (expected ${expected.code})`),
        );
      }
    }
    await finish();
    return;
  }

  const echoed = await waitFor(() => pending.size === 0 || closed !== undefined, ctx.timeoutMs);
  if (closed) {
    const got: { code: number; reason: string } = closed;
    tally.outcome(`ws close ${got.code}${got.reason ? ` ${got.reason}` : ""}`);
    tally.fail(
      got.code === 1006 ? "ws-reset" : "ws-close",
      sample(`unexpected close ${got.code} "${got.reason}"`),
    );
    await finish();
    return;
  }
  if (!echoed) {
    tally.fail(
      "ws-no-echo",
      sample(`${pending.size} message(s) not echoed within ${ctx.timeoutMs} ms`),
    );
  }
  ws.close(1000);
  const ended = await waitFor(() => closed !== undefined, ctx.timeoutMs);
  if (!ended || !closed) {
    tally.outcome("ws no close");
    tally.fail("ws-hang", sample("the server did not answer a client close"));
  } else {
    const got: { code: number; reason: string } = closed;
    tally.outcome(`ws client close → ${got.code}`);
    if (got.code === 1006) tally.fail("ws-reset", sample("a client close ended in 1006"));
  }
  await finish();
}
