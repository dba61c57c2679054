/**
 * Everything moderation needs on one isolate, built from the app's
 * dependencies: the revoked tokens (polled from the store), the permission
 * table's facts ({@linkcode RoomAccess}) and policy, the control channel on
 * the bus, the audit log, and the room and server moderation services.
 *
 * @module
 */
import { PermissionPolicy } from "../auth/permission_policy.ts";
import { RevocationList } from "../auth/revocation_list.ts";
import { RoomAccess } from "../auth/room_access.ts";
import type { Config } from "../config/load_config.ts";
import type { Logger } from "../log.ts";
import type { Bus } from "../realtime/bus.ts";
import { Control } from "../realtime/control.ts";
import type { RoomEvent } from "../realtime/subscriptions.ts";
import type { Store } from "../store/store.ts";
import { AuditLog } from "./audit_log.ts";
import { RoomModeration } from "./room_moderation.ts";
import { ServerModeration } from "./server_moderation.ts";

/** Dependencies of {@linkcode createModerationKit}. */
export interface ModerationKitDeps {
  readonly config: Pick<Config, "adminUsernames" | "tokenTtlSeconds">;
  readonly store: Store;
  readonly bus: Bus<RoomEvent>;
  readonly logger: Logger;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Milliseconds between two reads of the store's revocations; default 2,000. */
  readonly revocationRefreshMs?: number;
}

/** One isolate's moderation. */
export interface ModerationKit {
  readonly revocations: RevocationList;
  readonly access: RoomAccess;
  /** The message service's permission hook. */
  readonly policy: PermissionPolicy;
  readonly control: Control;
  readonly audit: AuditLog;
  readonly rooms: RoomModeration;
  readonly server: ServerModeration;
  /** Stops polling revocations and listening on the control channel. */
  close(): void;
}

/** Builds one isolate's moderation and starts polling revocations. */
export function createModerationKit(deps: ModerationKitDeps): ModerationKit {
  const { store, now, logger } = deps;
  const revocations = new RevocationList({
    store,
    now,
    lookbackMs: deps.config.tokenTtlSeconds * 1000,
    refreshMs: deps.revocationRefreshMs,
    onError: (error) => logger.warn("Cannot read the revoked tokens; will retry", { error }),
  });
  const access = new RoomAccess({ store, adminUsernames: deps.config.adminUsernames, now });
  const policy = new PermissionPolicy({ access, now });
  const control = new Control({
    bus: deps.bus,
    revocations,
    onStandingChanged: (room, userId) => policy.invalidate(room, userId),
  });
  const audit = new AuditLog({ store, now });
  const rooms = new RoomModeration({ store, access, control, audit, now });
  const server = new ServerModeration({ store, access, control, revocations, audit, now });
  revocations.start();
  return {
    revocations,
    access,
    policy,
    control,
    audit,
    rooms,
    server,
    close() {
      revocations.close();
      control.close();
    },
  };
}
