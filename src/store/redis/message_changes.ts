/**
 * Edits and deletes in Redis. The target's log member is read first; one Lua
 * script then checks it is unchanged (else the call reads again), takes the
 * next `seq`, logs the event and changes the message. A delete removes the
 * message's member and its edit events, so its text is in no key any more.
 *
 * @module
 */
import type { DeleteEvent, EditEvent, StoredMessage } from "../../model.ts";
import { RedisScript } from "../../redis/script.ts";
import type { EditResult, MessageLog, NewDelete, NewEdit } from "../api/messages.ts";
import { messageNotFound } from "../store_errors.ts";
import { eventBody, type RedisMessage, toStoredMessage } from "./codec.ts";
import type { RedisContext } from "./context.ts";

// KEYS: seq counter, log, events, events_of. ARGV: target, old member, new member, event body.
// Returns the edit's seq, or -1 when the old member is no longer in the log.
const EDIT = new RedisScript(`
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return -1 end
local seq = redis.call('INCR', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[4], 2))
redis.call('ZADD', KEYS[4], ARGV[1], seq)
return seq
`);

// KEYS: seq counter, log, events, events_of. ARGV: target, old member, event body.
// Returns the delete's seq, or -1 when the old member is no longer in the log.
const DELETE = new RedisScript(`
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return -1 end
local seq = redis.call('INCR', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
for _, edit in ipairs(redis.call('ZRANGE', KEYS[4], ARGV[1], ARGV[1], 'BYSCORE')) do
  redis.call('ZREMRANGEBYSCORE', KEYS[3], edit, edit)
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], ARGV[1], ARGV[1])
redis.call('ZADD', KEYS[3], seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[3], 2))
redis.call('ZADD', KEYS[4], ARGV[1], seq)
return seq
`);

/** Tries a check-and-write this many times before giving up (503). */
const MAX_ATTEMPTS = 50;

/** `editMessage` and `deleteMessage` over one client. */
export function redisMessageChanges(
  ctx: RedisContext,
): Pick<MessageLog, "editMessage" | "deleteMessage"> {
  const { client, key, guard, send } = ctx;

  /** The target's current log member, or `MESSAGE_NOT_FOUND`. */
  const read = async (room: string, target: number): Promise<string> => {
    if (!Number.isSafeInteger(target)) throw messageNotFound(room, target);
    const raw = await send([
      "ZRANGE",
      key.log(room),
      String(target),
      String(target),
      "BYSCORE",
    ]) as string[];
    if (raw[0] === undefined) throw messageNotFound(room, target);
    return raw[0];
  };
  const logKeys = (room: string) => [
    key.seq(room),
    key.log(room),
    key.events(room),
    key.eventsOf(room),
  ];

  return {
    editMessage(edit: NewEdit): Promise<EditResult> {
      const { room, target, text, editor, editedAtMs } = edit;
      return guard(async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const old = await read(room, target);
          const updated: RedisMessage = { ...JSON.parse(old) as RedisMessage, text, editedAtMs };
          const sender = { id: editor.id, username: editor.username };
          const nonce = edit.nonce !== undefined ? { nonce: edit.nonce } : {};
          const body = eventBody({ type: "edit", target, editedAtMs, sender, ...nonce, text });
          const member = JSON.stringify(updated);
          const seq = Number(
            await EDIT.run(client, logKeys(room), [String(target), old, member, body]),
          );
          if (seq === -1) continue;
          const event: EditEvent = {
            type: "edit",
            seq,
            room,
            target,
            text,
            editedAt: new Date(editedAtMs).toISOString(),
            sender,
            ...nonce,
          };
          const message: StoredMessage = toStoredMessage(room, member);
          return { event, message };
        }
        throw new Error(`too much contention editing message ${target} of room "${room}"`);
      });
    },

    deleteMessage(deletion: NewDelete): Promise<DeleteEvent> {
      const { room, target, by } = deletion;
      return guard(async () => {
        const who = { id: by.id, username: by.username };
        const nonce = deletion.nonce !== undefined ? { nonce: deletion.nonce } : {};
        const body = eventBody({ type: "delete", target, by: who, ...nonce });
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const old = await read(room, target);
          const seq = Number(await DELETE.run(client, logKeys(room), [String(target), old, body]));
          if (seq === -1) continue;
          return { type: "delete", seq, room, target, by: who, ...nonce };
        }
        throw new Error(`too much contention deleting message ${target} of room "${room}"`);
      });
    },
  };
}
