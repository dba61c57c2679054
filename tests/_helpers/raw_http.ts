/**
 * Test helpers: HTTP/1.1 over a raw TCP socket, for requests `fetch` and npm
 * `ws` cannot make (a body shorter than its `Content-Length`, an exact
 * `Sec-WebSocket-Protocol` header).
 *
 * @module
 */

/** A response read off a raw socket. */
export interface RawResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Map<string, string>;
  /** The body as sent (chunked bodies are not decoded). */
  body: string;
}

/** Options for {@linkcode rawRequest}. */
export interface RawRequestOptions {
  /** Half-close the socket after writing, so the server sees the end of the request stream. */
  closeWrite?: boolean;
  /** Stop reading once the head is in (for `101 Switching Protocols`). */
  headOnly?: boolean;
  /** Give up reading after this long. */
  timeoutMs?: number;
}

/** Parses the status line and headers of an HTTP/1.1 response head. */
export function parseHead(text: string): { status: number; headers: Map<string, string> } {
  const lines = text.split("\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? "")?.[1] ?? NaN);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return { status, headers };
}

/**
 * Writes `request` to `127.0.0.1:port` and reads the response until the server
 * closes, the declared body is in, or the timeout passes.
 */
export async function rawRequest(
  port: number,
  request: string | Uint8Array,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = typeof request === "string" ? new TextEncoder().encode(request) : request;
  const decoder = new TextDecoder();
  let received = "";
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }, options.timeoutMs ?? 3000);
  try {
    try {
      let written = 0;
      while (written < bytes.byteLength) written += await conn.write(bytes.subarray(written));
      if (options.closeWrite) await conn.closeWrite();
    } catch {
      // The server answered and closed before taking everything; read what it sent.
    }
    const buffer = new Uint8Array(16 * 1024);
    while (true) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch {
        break;
      }
      if (n === null) break;
      received += decoder.decode(buffer.subarray(0, n), { stream: true });
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) continue;
      if (options.headOnly) break;
      const { headers } = parseHead(received.slice(0, end));
      const length = headers.get("content-length");
      if (length !== undefined && received.length - end - 4 >= Number(length)) break;
    }
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // Already closed by the timer or the server.
    }
  }
  const end = received.indexOf("\r\n\r\n");
  const head = end < 0 ? received : received.slice(0, end);
  const { status, headers } = parseHead(head);
  return { status, headers, body: end < 0 ? "" : received.slice(end + 4) };
}
