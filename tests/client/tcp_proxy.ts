/**
 * A loopback TCP proxy for tests: forwards every connection to a target port
 * and can cut all of them at once, the way a dropped network would.
 *
 * @module
 */

/** A running proxy. */
export interface TcpProxy extends AsyncDisposable {
  /** `http://127.0.0.1:<proxy port>` */
  readonly url: string;
  /** Connections currently forwarded. */
  readonly open: number;
  /** Drops every forwarded connection abruptly; new connections are still accepted. */
  cut(): Promise<void>;
  /** While true, new connections are dropped as soon as they arrive. */
  blocked: boolean;
  close(): Promise<void>;
}

interface Pair {
  client: Deno.TcpConn;
  upstream: Deno.TcpConn;
  done: Promise<void>;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

async function pump(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(16 * 1024);
  try {
    while (true) {
      const n = await from.read(buffer);
      if (n === null) break;
      let written = 0;
      while (written < n) written += await to.write(buffer.subarray(written, n));
    }
  } catch {
    // The other side was cut.
  }
}

/** Starts a proxy on a random loopback port in front of `targetPort`. */
export function startTcpProxy(targetPort: number): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const pairs = new Set<Pair>();
  const state = { blocked: false };

  const end = (pair: Pair) => {
    closeQuietly(pair.client);
    closeQuietly(pair.upstream);
  };

  const accepting = (async () => {
    for await (const client of listener) {
      if (state.blocked) {
        closeQuietly(client);
        continue;
      }
      let upstream: Deno.TcpConn;
      try {
        upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
      } catch {
        closeQuietly(client);
        continue;
      }
      const pair: Pair = { client, upstream, done: Promise.resolve() };
      // When either direction ends, close both, so the other direction ends too.
      const forward = (from: Deno.Conn, to: Deno.Conn) => pump(from, to).finally(() => end(pair));
      pair.done = Promise.all([forward(client, upstream), forward(upstream, client)]).then(() => {
        pairs.delete(pair);
      });
      pairs.add(pair);
    }
  })().catch(() => {});

  const cut = async () => {
    const all = [...pairs];
    for (const pair of all) end(pair);
    await Promise.all(all.map((pair) => pair.done));
  };
  const close = async () => {
    listener.close();
    await accepting;
    await cut();
  };

  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    get open() {
      return pairs.size;
    },
    get blocked() {
      return state.blocked;
    },
    set blocked(value: boolean) {
      state.blocked = value;
    },
    cut,
    close,
    [Symbol.asyncDispose]: close,
  };
}
