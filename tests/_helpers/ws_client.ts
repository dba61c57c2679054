/**
 * A test WebSocket client over npm `ws`, which (like browsers) fails a
 * handshake whose response selects no offered subprotocol.
 *
 * @module
 */
import WebSocket from "ws";
import type { Json } from "./server.ts";

/** A message as the server sends it. */
export interface WireMessage {
  id: string;
  seq: number;
  room: string;
  sender: { id: number; username: string };
  text: string;
  createTime: number;
  createdAt: string;
  nonce?: string;
}

/** A connected client that records frames and its close. */
export interface TestSocket {
  readonly ws: WebSocket;
  /** Every frame received, parsed. */
  readonly frames: WireMessage[][];
  /** The selected subprotocol. */
  readonly protocol: string;
  /** The `x-served-by` header of the 101 response: which isolate took the socket. */
  readonly servedBy: string | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** All messages received so far, flattened. */
  messages(): WireMessage[];
  /** Resolves when at least `count` messages have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<WireMessage[]>;
  send(data: unknown): void;
  close(): Promise<void>;
}

/** The outcome of a handshake the server refused. */
export interface RefusedHandshake {
  status: number;
  body: Json;
  /** Response headers, lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Opens a socket.
 *
 * @param protocols offered subprotocols (the token first)
 * @throws {RefusedHandshake} when the server answers with an HTTP error
 */
export function connect(
  url: string,
  protocols: string[] = [],
  options: {
    headers?: Record<string, string>;
    /** A CA's PEM to trust for `wss:`. */
    ca?: string;
    /** The loopback address to connect from (`127.0.0.2`: another client). */
    localAddress?: string;
  } = {},
): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, {
      headers: options.headers,
      perMessageDeflate: false,
      ca: options.ca,
      localAddress: options.localAddress,
    });
    const frames: WireMessage[][] = [];
    const waiters: Array<() => void> = [];
    let resolveClosed!: (value: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      frames.push(JSON.parse(data.toString("utf8")));
      for (const wake of waiters.splice(0)) wake();
    });
    ws.on("close", (code: number, reason: Buffer) => {
      resolveClosed({ code, reason: reason.toString("utf8") });
      for (const wake of waiters.splice(0)) wake();
    });
    let servedBy: string | undefined;
    ws.on("upgrade", (res: Json) => {
      servedBy = res.headers["x-served-by"];
    });
    ws.on("unexpected-response", (_req: unknown, res: Json) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => {
        reject(
          {
            status: res.statusCode,
            body: body ? JSON.parse(body) : undefined,
            headers: res.headers,
          } satisfies RefusedHandshake,
        );
      });
    });
    ws.on("error", (error: Error) => reject(error));
    ws.on("open", () => {
      const messages = () => frames.flat();
      resolve({
        ws,
        frames,
        protocol: ws.protocol,
        servedBy,
        closed,
        messages,
        waitForMessages(count, timeoutMs = 5000) {
          return new Promise((res, rej) => {
            const timer = setTimeout(
              () =>
                rej(
                  new Error(`timed out waiting for ${count} messages; have ${messages().length}`),
                ),
              timeoutMs,
            );
            const check = () => {
              if (messages().length >= count) {
                clearTimeout(timer);
                res(messages());
              } else if (ws.readyState >= WebSocket.CLOSING) {
                clearTimeout(timer);
                rej(new Error(`socket closed with ${messages().length} of ${count} messages`));
              } else waiters.push(check);
            };
            check();
          });
        },
        send(data) {
          ws.send(typeof data === "string" ? data : JSON.stringify(data));
        },
        async close() {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close(1000);
          await closed;
        },
      });
    });
  });
}

/**
 * Opens sockets to `url` (cycling through `protocolSets`) until at least `min`
 * are open and they span two isolates (`x-served-by`), or 40 tries pass.
 */
export async function connectAcrossIsolates(
  url: string,
  protocolSets: string[][],
  min = 2,
): Promise<TestSocket[]> {
  const sockets: TestSocket[] = [];
  const isolates = () => new Set(sockets.map((s) => s.servedBy)).size;
  for (let i = 0; i < 40 && (sockets.length < min || isolates() < 2); i++) {
    sockets.push(await connect(url, protocolSets[i % protocolSets.length]));
  }
  return sockets;
}
