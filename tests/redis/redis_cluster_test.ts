/**
 * End to end on a real `redis-server` and three server processes
 * (STORE=redis, BUS=redis): readers spread over the processes receive every
 * message exactly once in `seq` order while one process is killed and Redis
 * is restarted mid-stream.
 *
 * @module
 */
import assert from "node:assert/strict";
import WebSocket from "ws";
import type { WireMessage } from "../_helpers/ws_client.ts";
import { type ChatProcess, startChatProcess } from "./_chat_process.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/redis_cluster_test.ts");
const verbose = Deno.env.get("REDIS_TEST_VERBOSE") === "1";
const ROOM = "lobby";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** Picks a live server, starting from `preferred` and moving on. */
type ServerPicker = (preferred: number) => ChatProcess;

/**
 * A client that stays in the room: on any close it reconnects (to the next
 * live server) with `?since=<last seq>`, and records every message it gets.
 */
class Member {
  readonly received: WireMessage[] = [];
  /** Codes of the closes the client did not cause itself. */
  readonly closeCodes: number[] = [];
  /** Messages that arrived out of order or twice. */
  readonly violations: string[] = [];
  last = 0;
  connects = 0;
  #socket: WebSocket | undefined;
  #stopped = false;
  #dropping = false;
  #target: number;
  #onMessage: ((message: WireMessage) => void) | undefined;
  #onOpen: (() => void) | undefined;

  constructor(
    readonly name: string,
    readonly pick: ServerPicker,
    preferred: number,
    readonly token?: string,
  ) {
    this.#target = preferred;
  }

  onMessage(fn: (message: WireMessage) => void): void {
    this.#onMessage = fn;
  }

  onOpen(fn: () => void): void {
    this.#onOpen = fn;
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    const server = this.pick(this.#target);
    this.connects++;
    const ws = new WebSocket(
      `${server.wsUrl}/api/v1/rooms/${ROOM}/ws?since=${this.last}`,
      this.token ? [this.token] : [],
      { perMessageDeflate: false },
    );
    this.#socket = ws;
    ws.on("message", (data: Uint8Array) => {
      for (const message of JSON.parse(new TextDecoder().decode(data)) as WireMessage[]) {
        if (message.seq !== this.last + 1) {
          this.violations.push(`${this.name}: got seq ${message.seq} after ${this.last}`);
        }
        if (message.seq > this.last) {
          this.last = message.seq;
          this.received.push(message);
        }
        this.#onMessage?.(message);
      }
    });
    ws.on("open", () => this.#onOpen?.());
    ws.on("unexpected-response", () => ws.terminate());
    ws.on("error", () => {});
    ws.on("close", (code: number) => {
      if (this.#dropping) this.#dropping = false;
      else this.closeCodes.push(code);
      if (this.#stopped) return;
      // Try the next server after a short pause; a dead one fails fast.
      this.#target++;
      setTimeout(() => !this.#stopped && this.start(), 100 + Math.random() * 100);
    });
  }

  send(frame: unknown): boolean {
    if (!this.open) return false;
    this.#socket!.send(JSON.stringify(frame));
    return true;
  }

  /** Closes the socket so it reconnects; the close is recorded as the client's own. */
  drop(): void {
    this.#dropping = true;
    this.#socket?.terminate();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const ws = this.#socket;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => ws.once("close", resolve));
    ws.terminate();
    await closed;
  }
}

/**
 * Sends `count` messages one at a time, each with a nonce, and counts one as
 * acknowledged when its echo arrives (live or in the backlog after a
 * reconnect). An unacknowledged message is sent again after a reconnect or a
 * timeout; the server may then store it twice, which the test allows.
 */
class Publisher {
  readonly acked = new Set<string>();
  readonly member: Member;
  #next = 0;
  #inFlight: { nonce: string; sentAt: number } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #openedAt = 0;

  constructor(
    readonly name: string,
    pick: ServerPicker,
    preferred: number,
    token: string,
    readonly count: number,
  ) {
    this.member = new Member(name, pick, preferred, token);
    this.member.onMessage((message) => {
      if (message.nonce && message.nonce.startsWith(`${name}-`)) this.acked.add(message.nonce);
    });
    this.member.onOpen(() => (this.#openedAt = Date.now()));
  }

  get done(): boolean {
    return this.acked.size === this.count;
  }

  start(): void {
    this.member.start();
    this.#timer = setInterval(() => this.#tick(), 15);
  }

  #tick(): void {
    const now = Date.now();
    const flight = this.#inFlight;
    if (flight && this.acked.has(flight.nonce)) this.#inFlight = undefined;
    else if (flight && now - flight.sentAt > 3000) {
      // No echo in time: reconnect, then see whether the backlog has it.
      this.#inFlight = undefined;
      this.#next--;
      this.member.drop();
      return;
    }
    // After a (re)connect, give the backlog a moment before sending again.
    if (this.#inFlight || !this.member.open || now - this.#openedAt < 300) return;
    while (this.#next < this.count && this.acked.has(this.#nonce(this.#next))) this.#next++;
    if (this.#next >= this.count) return;
    const nonce = this.#nonce(this.#next);
    if (this.member.send({ text: `${nonce} text`, nonce })) {
      this.#inFlight = { nonce, sentAt: now };
      this.#next++;
    }
  }

  #nonce(i: number): string {
    return `${this.name}-${i}`;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.member.stop();
  }
}

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function signIn(server: ChatProcess, username: string): Promise<string> {
  const created = await postJson(`${server.url}/api/v1/users`, { username, secret: "pw-secret" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const login = await postJson(`${server.url}/api/v1/login`, { username, secret: "pw-secret" });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.body.data.token;
}

Deno.test({
  name:
    "Redis cluster: every reader gets every message once, in order, across a killed process and a Redis restart",
  ignore: redis === undefined,
  // Child processes and npm `ws` sockets outlive single ops; all are closed in `finally`.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const env = {
      STORE: "redis",
      BUS: "redis",
      REDIS_URL: redis!.url,
      PBKDF2_ITERATIONS: "1000",
      JWT_SECRET: `cluster-test-secret-${crypto.randomUUID()}`,
      LOG_LEVEL: "error",
      RATE_LIMIT_BURST: "1000",
      RATE_LIMIT_PER_SEC: "1000",
    };
    const servers: ChatProcess[] = [];
    const dead = new Set<ChatProcess>();
    const members: Member[] = [];
    const publishers: Publisher[] = [];
    try {
      for (let i = 0; i < 3; i++) servers.push(await startChatProcess(env, { verbose }));
      const pick: ServerPicker = (preferred) => {
        for (let i = 0; i < servers.length; i++) {
          const server = servers[(preferred + i) % servers.length]!;
          if (!dead.has(server)) return server;
        }
        throw new Error("no live server");
      };

      // Users are created on different processes; tokens work on all of them.
      const tokens = await Promise.all(servers.map((s, i) => signIn(s, `publisher${i}`)));

      // Two anonymous readers per process.
      for (let i = 0; i < 6; i++) members.push(new Member(`reader${i}`, pick, i % 3));
      for (const member of members) member.start();
      await eventually(() => members.every((m) => m.open), "readers to connect", 10_000);

      const perPublisher = 60;
      for (let i = 0; i < 3; i++) {
        publishers.push(new Publisher(`p${i}`, pick, i, tokens[i]!, perPublisher));
      }
      for (const publisher of publishers) publisher.start();
      const seen = () => Math.min(...members.map((m) => m.last));

      // Kill process 2 mid-stream: its readers and publisher move on with ?since=.
      await eventually(() => seen() >= 30, "30 messages everywhere", 30_000);
      dead.add(servers[2]!);
      await servers[2]!.kill("SIGKILL");

      // Restart Redis mid-stream: REST gets 503 meanwhile, then everything resumes.
      await eventually(() => seen() >= 80, "80 messages everywhere", 30_000);
      // A crash, not a clean stop: what was acknowledged must be in the fsynced append-only file.
      await redis!.stop("SIGKILL");
      const health = await fetch(`${servers[0]!.url}/healthz`);
      const healthBody = await health.json();
      assert.equal(health.status, 503);
      assert.equal(healthBody.error.type, "STORE_UNAVAILABLE");
      const history = await fetch(`${servers[1]!.url}/api/v1/rooms/${ROOM}/messages`);
      const historyBody = await history.json();
      assert.equal(history.status, 503);
      assert.equal(historyBody.error.type, "STORE_UNAVAILABLE");
      await pause(1000);
      await redis!.start();

      await eventually(() => publishers.every((p) => p.done), "every publisher's acks", 60_000);
      const last = await fetch(`${servers[0]!.url}/api/v1/rooms/${ROOM}`).then((r) => r.json());
      const lastSeq: number = last.data.lastSeq;
      assert.ok(lastSeq >= 3 * perPublisher, `lastSeq ${lastSeq}`);
      await eventually(
        () =>
          members.every((m) => m.last === lastSeq) &&
          publishers.every((p) => p.member.last === lastSeq),
        `every member at seq ${lastSeq}`,
        20_000,
      );
      await pause(300); // Anything extra would show up now.

      const expected = Array.from({ length: lastSeq }, (_, i) => i + 1);
      for (const member of [...members, ...publishers.map((p) => p.member)]) {
        assert.deepEqual(
          member.violations,
          [],
          `${member.name} got messages out of order or twice`,
        );
        assert.deepEqual(member.received.map((m) => m.seq), expected, `${member.name}'s seqs`);
      }
      // Every acknowledged message is in the log.
      const nonces = new Set(members[0]!.received.map((m) => m.nonce));
      for (const publisher of publishers) {
        for (const nonce of publisher.acked) assert.ok(nonces.has(nonce), `${nonce} is in the log`);
      }
      // Readers on the processes that lived kept their sockets through the Redis restart.
      for (const member of [members[0]!, members[1]!, members[3]!, members[4]!]) {
        assert.equal(member.connects, 1, `${member.name} stayed connected`);
      }
      // Publishers on the processes that lived were closed only as documented: 1011 for a
      // message that could not be stored while Redis was down.
      for (const publisher of [publishers[0]!, publishers[1]!]) {
        assert.ok(
          publisher.member.closeCodes.every((code) => code === 1011),
          `${publisher.name} closed with ${publisher.member.closeCodes}`,
        );
      }
      // Process 2's readers and publisher did reconnect elsewhere.
      for (const member of [members[2]!, members[5]!, publishers[2]!.member]) {
        assert.ok(member.connects >= 2, `${member.name} reconnected`);
      }
      if (verbose) {
        console.error({
          lastSeq,
          connects: [...members, ...publishers.map((p) => p.member)].map((
            m,
          ) => [m.name, m.connects]),
          closeCodes: publishers.map((p) => [p.name, p.member.closeCodes]),
        });
      }
    } finally {
      for (const publisher of publishers) await publisher.stop();
      for (const member of members) await member.stop();
      for (const server of servers) await server.kill("SIGTERM");
    }
  },
});
