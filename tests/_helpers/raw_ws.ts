/**
 * Test helper: a WebSocket client over a raw TCP socket, for handshakes npm
 * `ws` will not send (a `Sec-WebSocket-Protocol` of `tok,x` without a space,
 * an empty first value). Speaks just enough RFC 6455: masked text frames out,
 * unfragmented frames in.
 *
 * @module
 */
import { parseHead } from "./raw_http.ts";

/** One frame from the server. */
export interface RawFrame {
  /** 1 text, 2 binary, 8 close, 9 ping, 10 pong. */
  opcode: number;
  payload: Uint8Array;
}

/** An open raw connection after the handshake. */
export interface RawWebSocket extends AsyncDisposable {
  /** 101 when upgraded. */
  readonly status: number;
  /** Response header names lower-cased. */
  readonly headers: Map<string, string>;
  /** The response body when the server refused the upgrade. */
  readonly body: string;
  /** Sends one masked text frame. */
  sendText(text: string): Promise<void>;
  /** Reads the next frame that is not a ping, or `null` at the end of the stream. */
  readFrame(timeoutMs?: number): Promise<RawFrame | null>;
  /** Reads the next frame and returns its close code and reason, failing unless it is a close. */
  readClose(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  close(): void;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** Encodes one masked client frame (FIN set). */
export function encodeClientFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const mask = crypto.getRandomValues(new Uint8Array(4));
  const length = payload.byteLength;
  const head = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const out = new Uint8Array(head + 4 + length);
  out[0] = 0x80 | opcode;
  if (length < 126) {
    out[1] = 0x80 | length;
  } else if (length < 65536) {
    out[1] = 0x80 | 126;
    new DataView(out.buffer).setUint16(2, length);
  } else {
    out[1] = 0x80 | 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(length));
  }
  out.set(mask, head);
  for (let i = 0; i < length; i++) out[head + 4 + i] = payload[i]! ^ mask[i % 4]!;
  return out;
}

/**
 * Opens a TCP connection to `127.0.0.1:port` and sends a WebSocket handshake
 * for `path` with `headers` added verbatim.
 */
export async function rawWebSocket(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawWebSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));

  let buffered: Uint8Array = new Uint8Array();
  let ended = false;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  };
  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const chunk = new Uint8Array(64 * 1024);
    let n: number | null = null;
    try {
      n = await conn.read(chunk);
    } catch {
      n = null;
    }
    if (n === null) {
      ended = true;
      return false;
    }
    buffered = concat(buffered, chunk.subarray(0, n));
    return true;
  };
  const withTimeout = async <T>(work: Promise<T>, timeoutMs: number): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        close();
        reject(new Error(`raw WebSocket read timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const decoder = new TextDecoder();
  let headEnd = -1;
  await withTimeout(
    (async () => {
      while (headEnd < 0) {
        headEnd = decoder.decode(buffered).indexOf("\r\n\r\n");
        if (headEnd < 0 && !(await fill())) break;
      }
    })(),
    3000,
  );
  if (headEnd < 0) throw new Error("the server sent no response head");
  const headText = decoder.decode(buffered).slice(0, headEnd);
  const headBytes = new TextEncoder().encode(headText).byteLength + 4;
  buffered = buffered.subarray(headBytes);
  const { status, headers: responseHeaders } = parseHead(headText);
  let body = "";
  if (status !== 101) {
    const length = Number(responseHeaders.get("content-length") ?? 0);
    await withTimeout(
      (async () => {
        while (buffered.byteLength < length && (await fill()));
      })(),
      3000,
    );
    body = decoder.decode(buffered.subarray(0, length));
  }

  const need = async (bytes: number): Promise<boolean> => {
    while (buffered.byteLength < bytes) if (!(await fill())) return false;
    return true;
  };
  const readOne = async (): Promise<RawFrame | null> => {
    while (true) {
      if (!(await need(2))) return null;
      const opcode = buffered[0]! & 0x0f;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (!(await need(4))) return null;
        length = new DataView(buffered.buffer, buffered.byteOffset).getUint16(2);
        offset = 4;
      } else if (length === 127) {
        if (!(await need(10))) return null;
        length = Number(new DataView(buffered.buffer, buffered.byteOffset).getBigUint64(2));
        offset = 10;
      }
      if (!(await need(offset + length))) return null;
      const payload = buffered.slice(offset, offset + length);
      buffered = buffered.subarray(offset + length);
      if (opcode !== 9) return { opcode, payload };
    }
  };

  const socket: RawWebSocket = {
    status,
    headers: responseHeaders,
    body,
    async sendText(text) {
      await conn.write(encodeClientFrame(1, new TextEncoder().encode(text)));
    },
    readFrame(timeoutMs = 3000) {
      return withTimeout(readOne(), timeoutMs);
    },
    async readClose(timeoutMs = 3000) {
      const frame = await socket.readFrame(timeoutMs);
      if (!frame || frame.opcode !== 8) {
        throw new Error(`expected a close frame, got ${frame ? `opcode ${frame.opcode}` : "EOF"}`);
      }
      const view = new DataView(frame.payload.buffer, frame.payload.byteOffset);
      const code = frame.payload.byteLength >= 2 ? view.getUint16(0) : 1005;
      return { code, reason: decoder.decode(frame.payload.subarray(2)) };
    },
    close,
    [Symbol.asyncDispose]() {
      close();
      return Promise.resolve();
    },
  };
  return socket;
}
