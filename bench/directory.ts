/**
 * The public directory (`GET /api/v1/rooms?cursor=&limit=`) on 10,000 rooms,
 * on each store: SQLite (a file), Deno KV (a file) and Redis (a
 * `redis-server` of its own). Each store gets 10,000 rooms with a message
 * each (and presence in one room of ten); then the whole directory is paged
 * through the app's route, in process (`app.request()`, no network), a few
 * times over, and the latency of each page is recorded. Writes p50 / p99 /
 * max per store into `bench/V2_RESULTS.md`.
 *
 * `deno run -A bench/directory.ts [--rooms=10000] [--limit=50] [--rounds=3] [--stores=sqlite,kv,redis]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config/load_config.ts";
import { silentLogger } from "../src/log.ts";
import { createMemoryBus } from "../src/realtime/bus.ts";
import { openRedisConnection } from "../src/redis/connection.ts";
import { openKvStore } from "../src/store/kv_store.ts";
import { createRedisStore } from "../src/store/redis_store.ts";
import { openSqliteStore } from "../src/store/sqlite_store.ts";
import type { Store } from "../src/store/store.ts";
import { startBenchRedis } from "./sockets_redis.ts";
import { quantile, table, writeSection } from "./v2_results.ts";

const say = (message: string) => console.error(`[directory] ${message}`);

/** A store to measure, and how to let it go. */
interface OpenStore {
  readonly store: Store;
  close(): Promise<void>;
}

type StoreKind = "sqlite" | "kv" | "redis";

async function openStore(kind: StoreKind, dir: string): Promise<OpenStore> {
  if (kind === "sqlite") {
    const store = openSqliteStore({ path: `${dir}/directory.sqlite3` });
    return { store, close: () => store.close() };
  }
  if (kind === "kv") {
    const store = await openKvStore({ path: `${dir}/directory.kv` });
    return { store, close: () => store.close() };
  }
  const redis = await startBenchRedis();
  const connection = await openRedisConnection({ url: redis.url, logger: silentLogger });
  const store = createRedisStore({ client: connection.commands });
  return {
    store,
    async close() {
      await store.close();
      await connection.close();
      await redis.stop();
    },
  };
}

/** `rooms` rooms with one message each, `concurrency` appends at a time; every tenth has presence. */
async function seed(store: Store, rooms: number): Promise<void> {
  const sender = await store.createUser({
    username: "seeder",
    canonical: "seeder",
    passwordHash: "x",
  });
  const concurrency = 64;
  const start = Date.now() - rooms * 10;
  for (let first = 0; first < rooms; first += concurrency) {
    const batch = [];
    for (let i = first; i < Math.min(rooms, first + concurrency); i++) {
      const room = `room-${String(i).padStart(5, "0")}`;
      batch.push(
        store.appendMessage({
          id: crypto.randomUUID(),
          room,
          sender,
          text: `hello ${i}`,
          createdAtMs: start + i * 10,
        }).then(() =>
          i % 10 === 0
            ? store.putPresence("bench-node", room, { users: [sender], anonymous: 1 }, 600_000)
            : undefined
        ),
      );
    }
    await Promise.all(batch);
  }
}

/** Pages through the whole directory `rounds` times; returns every page's latency in ms. */
async function measure(
  request: (path: string) => Promise<Response>,
  limit: number,
  rounds: number,
  rooms: number,
): Promise<{ pages: number[]; firstPages: number[] }> {
  const pages: number[] = [];
  const firstPages: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let cursor: string | null = null;
    let seen = 0;
    do {
      const query: string = cursor === null
        ? `?limit=${limit}`
        : `?limit=${limit}&cursor=${encodeURIComponent(cursor)}`;
      const started = performance.now();
      const response = await request(`/api/v1/rooms${query}`);
      const body = await response.json();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET /rooms${query}: ${JSON.stringify(body)}`);
      pages.push(ms);
      if (cursor === null) firstPages.push(ms);
      seen += body.data.rooms.length;
      cursor = body.data.next;
    } while (cursor !== null);
    if (seen !== rooms) throw new Error(`paged ${seen} rooms of ${rooms}`);
  }
  return { pages, firstPages };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rooms: { type: "string", default: "10000" },
      limit: { type: "string", default: "50" },
      rounds: { type: "string", default: "3" },
      stores: { type: "string", default: "sqlite,kv,redis" },
    },
  });
  const rooms = Number(values.rooms);
  const limit = Number(values.limit);
  const rounds = Number(values.rounds);
  const kinds = values.stores.split(",") as StoreKind[];
  const config = loadConfig({ PBKDF2_ITERATIONS: "1000", HOST: "127.0.0.1", PORT: "0" });
  const rows: (string | number)[][] = [];
  for (const kind of kinds) {
    const dir = await Deno.makeTempDir({ prefix: "chat-bench-directory-" });
    const opened = await openStore(kind, dir);
    const bus = createMemoryBus();
    const app = createApp({
      config,
      store: opened.store,
      bus,
      jwtSecret: "bench-secret-bench-secret-bench-secret",
      logger: silentLogger,
    });
    try {
      say(`${kind}: seeding ${rooms} rooms`);
      const seeding = performance.now();
      await seed(opened.store, rooms);
      say(`${kind}: seeded in ${Math.round(performance.now() - seeding)} ms; paging`);
      const request = async (path: string) =>
        await app.hono.request(new Request(`http://127.0.0.1${path}`), undefined, {
          remoteAddr: { hostname: "127.0.0.1" },
        });
      // One warm-up pass, not counted.
      await measure(request, limit, 1, rooms);
      const { pages, firstPages } = await measure(request, limit, rounds, rooms);
      rows.push([
        kind,
        pages.length,
        quantile(pages, 0.5),
        quantile(pages, 0.99),
        quantile(pages, 1),
        quantile(firstPages, 0.5),
      ]);
      say(`${kind}: p50 ${quantile(pages, 0.5)} ms, p99 ${quantile(pages, 0.99)} ms`);
    } finally {
      await app.close();
      bus.close();
      await opened.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
  const title = `Directory: \`GET /api/v1/rooms\` on ${rooms.toLocaleString("en")} rooms`;
  await writeSection("directory", title, [
    `${rooms} public rooms with a message each (one in ten with presence), paged through`,
    `${rounds} times with \`limit=${limit}\` (after one pass not counted), through the app's`,
    "route in process: the store's directory page plus one presence read per listed room,",
    "and the JSON, without the network. Latency per page, in ms.",
    "",
    ...table(["store", "pages", "p50", "p99", "max", "first page p50"], rows),
    "",
  ]);
  say("wrote bench/V2_RESULTS.md");
}

if (import.meta.main) await main();
