/**
 * A Lua script run with `EVALSHA`, falling back to `EVAL` when Redis does not
 * have it cached (after a restart or a `SCRIPT FLUSH`); `EVAL` caches it again.
 *
 * @module
 */
import { toHex } from "../hex.ts";
import type { RedisClient } from "./connection.ts";

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return toHex(digest);
}

/** A Lua script; `run` passes `keys` as `KEYS` and `args` as `ARGV`. */
export class RedisScript {
  readonly source: string;
  #sha: Promise<string> | undefined;

  constructor(source: string) {
    this.source = source;
  }

  /** Runs the script atomically and returns its raw reply. */
  async run(client: RedisClient, keys: string[], args: string[]): Promise<unknown> {
    const sha = await (this.#sha ??= sha1Hex(this.source));
    try {
      return await client.evalSha(sha, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await client.eval(this.source, { keys, arguments: args });
    }
  }
}
