/**
 * The room log in Redis: `seq:<room>` hands out the next `seq` (`INCR`),
 * `log:<room>` holds the kept messages and `events:<room>` the edit and
 * delete events, both scored by `seq`. Every write to the log is one Lua
 * script, so any number of processes share one gapless counter; an append
 * also records that the sender posted there and moves the room's activity.
 *
 * @module
 */
import {
  type ChatMessage,
  type LoggedEvent,
  type NewMessage,
  type StoredMessage,
  toChatMessage,
  toLoggedMessage,
  toV1Message,
} from "../../model.ts";
import { RedisScript } from "../../redis/script.ts";
import type { MessageLog, MessageQuery } from "../api/messages.ts";
import { ACTIVITY_STEP_MS } from "../api/rooms.ts";
import { messageNotFound } from "../store_errors.ts";
import { bySeq, newMessageBody, toEvent, toStoredMessage } from "./codec.ts";
import type { RedisContext } from "./context.ts";
import { redisMessageChanges } from "./message_changes.ts";

// KEYS: seq counter, log, room hash, directory, sender's posted set.
// ARGV: the message as a JSON object without seq, room, created at (ms), replyTo or '',
// the activity step (ms). Assigns the next seq and logs the message under it, records
// the latest message's time and that the sender posted there, and moves the room's
// activity (and its directory entry unless it is private) when the message is a step
// past it, as one step. Returns the seq, or -1 when replyTo is not a kept message.
const APPEND = new RedisScript(`
if ARGV[4] ~= '' and redis.call('ZCOUNT', KEYS[2], ARGV[4], ARGV[4]) == 0 then return -1 end
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
local room = redis.call('HMGET', KEYS[3], 'visibility', 'active_at')
if (tonumber(room[2]) or -1e300) + tonumber(ARGV[5]) <= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[3], 'last_message_at', ARGV[3], 'active_at', ARGV[3])
  if room[1] ~= 'private' then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2]) end
else
  redis.call('HSET', KEYS[3], 'last_message_at', ARGV[3])
end
redis.call('SADD', KEYS[5], ARGV[2])
return seq
`);

// KEYS: log, events. ARGV: low, high (ZRANGE BYSCORE bounds), limit, '1' for newest first.
// Both ranges in one step, so they are one consistent view of the log.
const READ_LOG = new RedisScript(`
local function range(key)
  if ARGV[4] == '1' then
    return redis.call('ZRANGE', key, ARGV[2], ARGV[1], 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[3])
  end
  return redis.call('ZRANGE', key, ARGV[1], ARGV[2], 'BYSCORE', 'LIMIT', 0, ARGV[3])
end
return { range(KEYS[1]), range(KEYS[2]) }
`);

/** The `ZRANGE … BYSCORE` bounds of a query. */
function bounds(query: MessageQuery): [string, string] {
  return [
    query.after !== undefined ? `(${query.after}` : "-inf",
    query.before !== undefined ? `(${query.before}` : "+inf",
  ];
}

/** The log methods over one client. */
export function redisMessages(ctx: RedisContext): MessageLog {
  const { client, key, guard, send } = ctx;
  return {
    appendMessage(message: NewMessage): Promise<StoredMessage> {
      return guard(async () => {
        const { room, replyTo } = message;
        // A script's writes before a failing command stay: refuse bad input first.
        if (!Number.isFinite(message.createdAtMs)) {
          throw new RangeError(`Cannot append to room "${room}": createdAtMs is not finite`);
        }
        if (replyTo !== undefined && !Number.isSafeInteger(replyTo)) {
          throw messageNotFound(room, replyTo);
        }
        const seq = Number(
          await APPEND.run(client, [
            key.seq(room),
            key.log(room),
            key.room(room),
            key.directory,
            key.posted(message.sender.id),
          ], [
            newMessageBody(message),
            room,
            String(message.createdAtMs),
            String(replyTo ?? ""),
            String(ACTIVITY_STEP_MS),
          ]),
        );
        if (seq === -1) throw messageNotFound(room, replyTo!);
        const stored = toChatMessage(message, seq);
        return replyTo === undefined ? stored : { ...stored, replyTo };
      });
    },

    listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]> {
      return guard(async () => {
        if (query.limit <= 0) return [];
        const [low, high] = bounds(query);
        const oldestFirst = query.from === "oldest";
        // ZRANGE … BYSCORE … LIMIT: O(log n + page).
        const limit = ["LIMIT", "0", String(query.limit)];
        const args = oldestFirst
          ? ["ZRANGE", key.log(room), low, high, "BYSCORE", ...limit]
          : ["ZRANGE", key.log(room), high, low, "BYSCORE", "REV", ...limit];
        const raw = await send(args) as string[];
        const messages = raw.map((member) => toV1Message(toStoredMessage(room, member)));
        if (!oldestFirst) messages.reverse();
        return messages;
      });
    },

    listEvents(room: string, query: MessageQuery): Promise<LoggedEvent[]> {
      return guard(async () => {
        if (query.limit <= 0) return [];
        const [low, high] = bounds(query);
        const newest = query.from !== "oldest";
        const [messages, events] = await READ_LOG.run(client, [key.log(room), key.events(room)], [
          low,
          high,
          String(query.limit),
          newest ? "1" : "0",
        ]) as [string[], string[]];
        const merged: LoggedEvent[] = [
          ...messages.map((raw) => toLoggedMessage(toStoredMessage(room, raw))),
          ...events.map((raw) => toEvent(room, raw)),
        ].sort(bySeq);
        return newest
          ? merged.slice(Math.max(0, merged.length - query.limit))
          : merged.slice(0, query.limit);
      });
    },

    findMessage(room: string, seq: number): Promise<StoredMessage | undefined> {
      return guard(async () => {
        if (!Number.isSafeInteger(seq)) return undefined;
        const raw = await send([
          "ZRANGE",
          key.log(room),
          String(seq),
          String(seq),
          "BYSCORE",
        ]) as string[];
        return raw[0] === undefined ? undefined : toStoredMessage(room, raw[0]);
      });
    },

    ...redisMessageChanges(ctx),

    lastSeq(room: string): Promise<number> {
      return guard(async () => Number(await client.get(key.seq(room)) ?? 0));
    },
  };
}
