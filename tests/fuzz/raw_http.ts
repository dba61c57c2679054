/**
 * A raw TCP client for requests `fetch` refuses to send: unnormalised paths,
 * odd methods, broken framing, malformed upgrade headers and hand-built
 * WebSocket frames.
 *
 * @module
 */

/** A parsed HTTP response. */
export interface RawResponse {
  readonly kind: "response";
  readonly status: number;
  readonly statusLine: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Map<string, string>;
  readonly body: Uint8Array;
}

/** What reading from the connection ended in, when it was not a full response or frame. */
export type ReadEnd =
  | { readonly kind: "eof"; readonly partial: Uint8Array }
  | { readonly kind: "reset"; readonly error: string }
  | { readonly kind: "timeout" }
  | { readonly kind: "garbled"; readonly why: string };

/** A WebSocket frame from the server. */
export interface RawFrame {
  readonly kind: "frame";
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Uint8Array;
}

const CRLFCRLF = [13, 10, 13, 10];

function indexOf(haystack: Uint8Array, needle: readonly number[], from = 0): number {
  outer: for (let i = from; i <= haystack.byteLength - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** One raw TCP connection with a read buffer. */
export class RawConnection {
  readonly #conn: Deno.TcpConn;
  #buffer = new Uint8Array(0);
  #dead = false;
  #eof = false;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Connects to `127.0.0.1:port`. */
  static async open(port: number): Promise<RawConnection> {
    return new RawConnection(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Writes all bytes; `false` when the peer already closed or reset. */
  async write(bytes: Uint8Array): Promise<boolean> {
    let at = 0;
    try {
      while (at < bytes.byteLength) at += await this.#conn.write(bytes.subarray(at));
      return true;
    } catch {
      return false;
    }
  }

  /** Half-closes: the server sees the end of the request stream. */
  async closeWrite(): Promise<void> {
    try {
      await this.#conn.closeWrite();
    } catch {
      // Already closed.
    }
  }

  /** Closes the connection. */
  close(): void {
    if (this.#dead) return;
    this.#dead = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  /** Reads more bytes into the buffer; an end if there are none. */
  async #fill(deadline: number): Promise<ReadEnd | undefined> {
    if (this.#eof) return { kind: "eof", partial: this.#buffer };
    if (this.#dead) return { kind: "reset", error: "closed locally" };
    const chunk = new Uint8Array(64 * 1024);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(1, deadline - Date.now()));
    });
    try {
      const n = await Promise.race([this.#conn.read(chunk), timeout]);
      if (n === "timeout") {
        this.close();
        return { kind: "timeout" };
      }
      if (n === null) {
        this.#eof = true;
        return { kind: "eof", partial: this.#buffer };
      }
      const next = new Uint8Array(this.#buffer.byteLength + n);
      next.set(this.#buffer, 0);
      next.set(chunk.subarray(0, n), this.#buffer.byteLength);
      this.#buffer = next;
      return undefined;
    } catch (error) {
      this.close();
      return { kind: "reset", error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  #take(n: number): Uint8Array {
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    return out;
  }

  async #need(n: number, deadline: number): Promise<ReadEnd | undefined> {
    while (this.#buffer.byteLength < n) {
      const end = await this.#fill(deadline);
      if (end) return end;
    }
    return undefined;
  }

  /**
   * Reads one response.
   *
   * @param head the request was HEAD, so the response has no body
   */
  async readResponse(timeoutMs: number, head = false): Promise<RawResponse | ReadEnd> {
    const deadline = Date.now() + timeoutMs;
    let end = indexOf(this.#buffer, CRLFCRLF);
    while (end < 0) {
      const stop = await this.#fill(deadline);
      if (stop) return stop;
      end = indexOf(this.#buffer, CRLFCRLF);
    }
    const headText = new TextDecoder("latin1").decode(this.#take(end + 4));
    const [statusLine = "", ...lines] = headText.slice(0, -4).split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!match) {
      return { kind: "garbled", why: `status line ${JSON.stringify(statusLine.slice(0, 80))}` };
    }
    const status = Number(match[1]);
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon <= 0) {
        return { kind: "garbled", why: `header line ${JSON.stringify(line.slice(0, 80))}` };
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    const response = (body: Uint8Array): RawResponse => ({
      kind: "response",
      status,
      statusLine,
      headers,
      body,
    });
    if (head || status < 200 || status === 204 || status === 304) return response(new Uint8Array());
    if ((headers.get("transfer-encoding") ?? "").toLowerCase().includes("chunked")) {
      const parts: Uint8Array[] = [];
      while (true) {
        let line = indexOf(this.#buffer, [13, 10]);
        while (line < 0) {
          const stop = await this.#fill(deadline);
          if (stop) return stop;
          line = indexOf(this.#buffer, [13, 10]);
        }
        const size = parseInt(new TextDecoder().decode(this.#take(line + 2)), 16);
        if (!Number.isFinite(size)) return { kind: "garbled", why: "chunk size" };
        const stop = await this.#need(size + 2, deadline);
        if (stop) return stop;
        parts.push(this.#take(size));
        this.#take(2);
        if (size === 0) break;
      }
      const total = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let at = 0;
      for (const part of parts) {
        total.set(part, at);
        at += part.byteLength;
      }
      return response(total);
    }
    const length = headers.get("content-length");
    if (length !== undefined) {
      const n = Number(length);
      if (!Number.isSafeInteger(n) || n < 0) {
        return { kind: "garbled", why: `content-length ${length}` };
      }
      const stop = await this.#need(n, deadline);
      if (stop) return stop;
      return response(this.#take(n));
    }
    while (true) {
      const stop = await this.#fill(deadline);
      if (stop?.kind === "eof") return response(this.#take(this.#buffer.byteLength));
      if (stop) return stop;
    }
  }

  /** Reads one WebSocket frame sent by the server. */
  async readFrame(timeoutMs: number): Promise<RawFrame | ReadEnd> {
    const deadline = Date.now() + timeoutMs;
    let stop = await this.#need(2, deadline);
    if (stop) return stop;
    const b0 = this.#buffer[0]!;
    const b1 = this.#buffer[1]!;
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      stop = await this.#need(4, deadline);
      if (stop) return stop;
      length = (this.#buffer[2]! << 8) | this.#buffer[3]!;
      offset = 4;
    } else if (length === 127) {
      stop = await this.#need(10, deadline);
      if (stop) return stop;
      length = Number(
        new DataView(this.#buffer.buffer, this.#buffer.byteOffset + 2, 8).getBigUint64(0),
      );
      offset = 10;
    }
    const masked = (b1 & 0x80) !== 0;
    if (masked) return { kind: "garbled", why: "the server sent a masked frame" };
    if (length > 64 * 1024 * 1024) return { kind: "garbled", why: `frame of ${length} bytes` };
    stop = await this.#need(offset + length, deadline);
    if (stop) return stop;
    this.#take(offset);
    return {
      kind: "frame",
      fin: (b0 & 0x80) !== 0,
      opcode: b0 & 0x0f,
      payload: this.#take(length),
    };
  }
}

/** Options for {@linkcode encodeFrame}. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Uint8Array;
  readonly fin?: boolean;
  /** RSV1-3 bits, 0–7. */
  readonly rsv?: number;
  /** Clients must mask; `false` sends an unmasked frame. */
  readonly mask?: boolean;
  /** Force a longer length encoding than needed. */
  readonly longLength?: boolean;
}

/** Encodes a client WebSocket frame. */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const { opcode, payload } = spec;
  const fin = spec.fin ?? true;
  const mask = spec.mask ?? true;
  const n = payload.byteLength;
  const header: number[] = [(fin ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  if (n < 126 && !spec.longLength) header.push(maskBit | n);
  else if (n < 65536) header.push(maskBit | 126, n >> 8, n & 0xff);
  else {
    header.push(maskBit | 127);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigUint64(0, BigInt(n));
    header.push(...big);
  }
  const key = mask ? crypto.getRandomValues(new Uint8Array(4)) : new Uint8Array(0);
  const out = new Uint8Array(header.length + key.byteLength + n);
  out.set(header, 0);
  out.set(key, header.length);
  const body = out.subarray(header.length + key.byteLength);
  for (let i = 0; i < n; i++) body[i] = mask ? payload[i]! ^ key[i & 3]! : payload[i]!;
  return out;
}
