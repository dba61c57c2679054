/**
 * The README's ten-line bot, as printed there, run as its own `deno run`
 * process against a real server: it imports the client module from the
 * server and answers `!echo hi` with `hi`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, type ChatMessage } from "../../src/client/chat_client.js";
import { eventually } from "../_helpers/eventually.ts";
import { startServer } from "../_helpers/server.ts";

const README = new URL("../../README.md", import.meta.url);

/** The code block under the README's "A ten-line bot" heading. */
async function readmeBot(): Promise<string> {
  const text = await Deno.readTextFile(README);
  const match = /#{2,3} A ten-line bot\n+```js\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error("README.md has no ten-line bot");
  return match[1]!;
}

Deno.test({
  name: "the README's ten-line bot runs as printed and answers !echo hi with hi",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const code = await readmeBot();
    assert.ok(code.trim().split("\n").length <= 10, "the bot is ten lines at most");
    await using server = await startServer();
    const host = new URL(server.url).host;
    const dir = await Deno.makeTempDir({ prefix: "chat-bot-" });
    await Deno.writeTextFile(`${dir}/bot.js`, code.replaceAll("http://localhost:8000", server.url));
    // Run from a folder of its own, as a user would: no deno.json, no lock file.
    const bot = new Deno.Command(Deno.execPath(), {
      args: ["run", `--allow-net=${host}`, `--allow-import=${host}`, "bot.js"],
      cwd: dir,
      env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = bot.output();
    const alice = new ChatClient({ baseUrl: server.url });
    await alice.signUp("alice", "correct horse");
    await alice.login("alice", "correct horse");
    const seen: ChatMessage[] = [];
    const room = alice.join("lobby", { onMessage: (m) => seen.push(m) });
    try {
      // The bot is in the room once presence lists it.
      await eventually(
        () => alice.roomUsers("lobby"),
        (online) => online.users.some((u) => u.username === "echo-bot"),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      await room.send("!echo hi");
      await room.send("no command here");
      const replies = await eventually(
        () => Promise.resolve(seen.filter((m) => m.sender.username === "echo-bot")),
        (found) => found.length > 0,
        { timeoutMs: 10_000 },
      );
      assert.deepEqual(replies.map((m) => m.text), ["hi"]);
    } finally {
      await room.close();
      bot.kill("SIGTERM");
      const done = await output;
      await Deno.remove(dir, { recursive: true });
      if (!done.success && done.signal !== "SIGTERM") {
        console.error(new TextDecoder().decode(done.stderr));
      }
    }
  },
});
