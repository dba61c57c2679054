/**
 * The storage interface. One adapter per backend (`sqlite_store.ts`,
 * `kv_store.ts`, `redis_store.ts`, each composed of one module per concern
 * under `sqlite/`, `kv/` and `redis/`); all pass the contract suite of
 * `tests/store/contract/`.
 *
 * The interface is the union of one interface per concern (in `api/`), so a
 * module that needs only part of it can ask for that part
 * (`deps: { store: ModerationStore }`). Every method rejects with
 * `StoreUnavailableError` (503) when the backend is away or the store is
 * closed, with a typed domain error (`ROOM_EXISTS`, `MESSAGE_NOT_FOUND`, …)
 * where its comment says, and with a plain error (500) for anything else.
 * Times passed in are milliseconds since the epoch, chosen by the caller.
 *
 * @module
 */
import type { MessageLog } from "./api/messages.ts";
import type { ModerationStore } from "./api/moderation.ts";
import type { PresenceStore, SecretStore } from "./api/presence.ts";
import type { ReadStateStore } from "./api/read_state.ts";
import type { RetentionStore } from "./api/retention.ts";
import type { RoomStore } from "./api/rooms.ts";
import type { UserStore } from "./api/users.ts";

export type { NewUser, UserStore } from "./api/users.ts";
export type { EditResult, MessageLog, MessageQuery, NewDelete, NewEdit } from "./api/messages.ts";
export type {
  AssignableRole,
  DirectoryPage,
  Membership,
  NewRoom,
  RoomNamePage,
  RoomRecord,
  RoomRole,
  RoomStore,
  RoomVisibility,
} from "./api/rooms.ts";
export { type ReadStateStore, UNREAD_CAP, type UserRoom } from "./api/read_state.ts";
export type {
  AuditEntry,
  ModerationStore,
  NewAuditEntry,
  Restriction,
  RestrictionKind,
  Revocation,
  TokenRef,
} from "./api/moderation.ts";
export type { PruneResult, RetentionStore } from "./api/retention.ts";
export {
  mergePresence,
  type PresenceSnapshot,
  type PresenceStore,
  type SecretStore,
} from "./api/presence.ts";

/** Users, room logs, rooms, read state, moderation, retention, presence and shared secrets. */
export interface Store
  extends
    UserStore,
    MessageLog,
    RoomStore,
    ReadStateStore,
    ModerationStore,
    RetentionStore,
    PresenceStore,
    SecretStore {
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the store; later calls reject with `STORE_UNAVAILABLE`. Idempotent. */
  close(): Promise<void>;
}
