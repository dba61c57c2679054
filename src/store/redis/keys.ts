/**
 * Every key of the Redis store, after its prefix (`chat:` by default).
 *
 * - `users:next` → last user id (`INCR`); `users:by_name` → hash canonical → id;
 *   `user:<id>` → hash `username`, `hash`
 * - `seq:<room>` → the room's last `seq` (`INCR`); it exists once the room does
 * - `log:<room>` → sorted set of kept, not deleted messages: score `seq`, member the JSON
 * - `events:<room>` → sorted set of edit and delete events: score `seq`, member the JSON
 * - `events_of:<room>` → sorted set: score the target's `seq`, member the event's `seq`
 * - `room:<room>` → hash `visibility`, `title`, `owner`, `direct`, `created_at`,
 *   `last_message_at`, `active_at` (the directory's score), `pruned_through`
 * - `rooms:directory` → sorted set of public rooms: score the activity time, member the name
 * - `members:<room>` → hash user id → `{"username","role","sinceMs"}`;
 *   `member_of:<user id>` → hash room → role
 * - `read:<user id>` → hash room → `lastRead`; `posted:<user id>` → set of rooms posted in
 * - `restrict:<kind>:room:<room>`, `restrict:<kind>:server` → hash user id → restriction JSON
 * - `revoked:<jti>` (with a ttl) and `revoked_user:<user id>` → the revocation's JSON;
 *   `revocations` → sorted set by time of the same JSON (the polling feed)
 * - `audit:next` → last audit id; `audit` → sorted set: score the id, member the JSON
 * - `presence:<room>` → hash node → `{"expiresAt","users","anonymous"}`;
 *   `presence_rooms:<node>` → set of rooms the node has presence in
 * - `secret:<name>` → value (`SET NX`)
 *
 * @module
 */

/** The key builders of one prefix. */
export type RedisKeys = ReturnType<typeof redisKeys>;

/** The key builders under `p`. */
export function redisKeys(p: string) {
  return {
    prefix: p,
    userCounter: `${p}users:next`,
    userNames: `${p}users:by_name`,
    userPrefix: `${p}user:`,
    user: (id: number) => `${p}user:${id}`,
    seqPrefix: `${p}seq:`,
    seq: (room: string) => `${p}seq:${room}`,
    log: (room: string) => `${p}log:${room}`,
    events: (room: string) => `${p}events:${room}`,
    eventsOf: (room: string) => `${p}events_of:${room}`,
    room: (room: string) => `${p}room:${room}`,
    directory: `${p}rooms:directory`,
    members: (room: string) => `${p}members:${room}`,
    memberOfPrefix: `${p}member_of:`,
    memberOf: (userId: number) => `${p}member_of:${userId}`,
    read: (userId: number) => `${p}read:${userId}`,
    posted: (userId: number) => `${p}posted:${userId}`,
    restrictions: (kind: string, room: string | null) =>
      room === null ? `${p}restrict:${kind}:server` : `${p}restrict:${kind}:room:${room}`,
    revokedToken: (jti: string) => `${p}revoked:${jti}`,
    revokedUser: (userId: number) => `${p}revoked_user:${userId}`,
    revocations: `${p}revocations`,
    auditCounter: `${p}audit:next`,
    audit: `${p}audit`,
    presencePrefix: `${p}presence:`,
    presence: (room: string) => `${p}presence:${room}`,
    nodeRooms: (node: string) => `${p}presence_rooms:${node}`,
    secret: (name: string) => `${p}secret:${name}`,
  };
}
