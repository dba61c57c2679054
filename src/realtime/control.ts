/**
 * The control channel: moderation reaching a user's sockets on every isolate
 * and process (CONTRACT §7). It rides the bus like a room's events, on one
 * reserved channel no room can be named (a control character), so every bus
 * (memory, BroadcastChannel, Redis) carries it, delivering here at once and
 * to other nodes as it can.
 *
 * Each isolate registers its sockets here; a control event reaches the ones
 * it names:
 * - `close`: a kick (4001 `KICKED`) or a ban (4003 `BANNED`) of a user, in one
 *   room or everywhere;
 * - `revoked`: a revocation, learned by the isolate's {@linkcode RevocationList},
 *   which closes the sockets of the tokens it covers (1008 `TOKEN_REVOKED`);
 *   the list's own polling of the store catches what the bus missed;
 * - `recheck`: a user's (or everyone's) standing in a room changed (a mute, a
 *   role, the room made private): each socket reads it again and closes if
 *   it may no longer read.
 *
 * @module
 */
import type { RevocationList } from "../auth/revocation_list.ts";
import { CLOSE, type CloseReason } from "../contract/mod.js";
import type { Revocation, TokenRef } from "../store/store.ts";
import type { Bus } from "./bus.ts";
import type { RoomEvent } from "./subscriptions.ts";

/** The bus channel of control events: no room name may hold a control character. */
export const CONTROL_ROOM = "\u0000control";

/** The closes a `close` control event can ask for. */
export type ControlClose = "KICKED" | "BANNED";

/** What travels on the control channel. */
export type ControlEvent =
  & { readonly room: typeof CONTROL_ROOM; readonly type: "control" }
  & (
    | {
      readonly kind: "close";
      readonly userId: number;
      /** The room; `null` for every room. */
      readonly scope: string | null;
      readonly reason: ControlClose;
    }
    | { readonly kind: "revoked"; readonly revocation: Revocation }
    | {
      readonly kind: "recheck";
      /** The room; `null` for every room (of one user). */
      readonly scope: string | null;
      /** `null` for everyone in the room. */
      readonly userId: number | null;
    }
  );

/** A socket as the control channel knows it. */
export interface ControlledSocket {
  readonly room: string;
  /** `undefined` for an anonymous reader. */
  readonly userId: number | undefined;
  /** The token it joined with (`undefined` when anonymous). */
  readonly token: TokenRef | undefined;
  /** Closes it (idempotent). */
  close(reason: CloseReason): void;
  /** Reads its standing again and closes it if it may no longer read. */
  recheck(): void;
}

/** Dependencies of {@linkcode Control}. */
export interface ControlOptions {
  readonly bus: Bus<RoomEvent>;
  readonly revocations: RevocationList;
  /**
   * Told of every `close` and `recheck` heard (this node's own included), before
   * the sockets are: a user's standing in a room (`null`: every room) or every
   * standing in a room (`userId` null) may have changed. The permission
   * policy forgets what it kept.
   */
  readonly onStandingChanged?: (room: string | null, userId: number | null) => void;
}

/** Whether a value heard on the bus is a control event this version understands. */
function isControlEvent(value: RoomEvent): value is ControlEvent {
  const event = value as Partial<ControlEvent> & RoomEvent;
  return event.room === CONTROL_ROOM && event.type === "control" &&
    (event.kind === "close" || event.kind === "revoked" || event.kind === "recheck");
}

/** One isolate's end of the control channel, with its sockets indexed by user and room. */
export class Control {
  readonly #bus: Bus<RoomEvent>;
  readonly #revocations: RevocationList;
  readonly #onStandingChanged: ControlOptions["onStandingChanged"];
  readonly #byUser = new Map<number, Set<ControlledSocket>>();
  readonly #byRoom = new Map<string, Set<ControlledSocket>>();
  readonly #byJti = new Map<string, Set<ControlledSocket>>();
  readonly #unsubscribe: () => void;
  readonly #stopListening: () => void;

  constructor(options: ControlOptions) {
    this.#bus = options.bus;
    this.#revocations = options.revocations;
    this.#onStandingChanged = options.onStandingChanged;
    this.#unsubscribe = this.#bus.subscribe(CONTROL_ROOM, (event) => {
      if (isControlEvent(event)) this.#handle(event);
    });
    this.#stopListening = this.#revocations.onRevoked((revocation) => this.#revoked(revocation));
  }

  /** The number of sockets registered here. */
  get size(): number {
    let count = 0;
    for (const sockets of this.#byRoom.values()) count += sockets.size;
    return count;
  }

  /**
   * Registers a socket, until the returned disposer is called (on its close).
   * A socket whose token is already known revoked is closed at once.
   */
  register(socket: ControlledSocket): () => void {
    add(this.#byRoom, socket.room, socket);
    if (socket.userId !== undefined) add(this.#byUser, socket.userId, socket);
    const jti = socket.token?.jti;
    if (jti !== undefined) add(this.#byJti, jti, socket);
    if (socket.token && this.#revocations.isRevoked(socket.token)) {
      socket.close(CLOSE.TOKEN_REVOKED);
    }
    return () => {
      remove(this.#byRoom, socket.room, socket);
      if (socket.userId !== undefined) remove(this.#byUser, socket.userId, socket);
      if (jti !== undefined) remove(this.#byJti, jti, socket);
    };
  }

  /** Closes a user's sockets in one room (or every room) on every node. */
  closeUser(userId: number, scope: string | null, reason: ControlClose): void {
    this.#publish({ kind: "close", userId, scope, reason });
  }

  /** Tells every node of a revocation made here (it is already in the store). */
  revoked(revocation: Revocation): void {
    this.#publish({ kind: "revoked", revocation });
  }

  /**
   * Makes a user's sockets in a room (or all of the room's, or all of the
   * user's with `scope` null) read their standing again.
   */
  recheck(scope: string | null, userId: number | null): void {
    this.#publish({ kind: "recheck", scope, userId });
  }

  /** Stops listening; registered sockets stay open. */
  close(): void {
    this.#unsubscribe();
    this.#stopListening();
  }

  #publish(
    body:
      | { kind: "close"; userId: number; scope: string | null; reason: ControlClose }
      | { kind: "revoked"; revocation: Revocation }
      | { kind: "recheck"; scope: string | null; userId: number | null },
  ): void {
    this.#bus.publish({ room: CONTROL_ROOM, type: "control", ...body } as ControlEvent);
  }

  #handle(event: ControlEvent): void {
    switch (event.kind) {
      case "close": {
        this.#onStandingChanged?.(event.scope, event.userId);
        const close = CLOSE[event.reason];
        for (const socket of copy(this.#byUser.get(event.userId))) {
          if (event.scope === null || socket.room === event.scope) socket.close(close);
        }
        return;
      }
      case "revoked":
        // The list tells #revoked when it is news here.
        this.#revocations.apply(event.revocation);
        return;
      case "recheck":
        this.#onStandingChanged?.(event.scope, event.userId);
        if (event.scope === null) {
          if (event.userId !== null) {
            for (const socket of copy(this.#byUser.get(event.userId))) socket.recheck();
          }
          return;
        }
        for (const socket of copy(this.#byRoom.get(event.scope))) {
          if (event.userId === null || socket.userId === event.userId) socket.recheck();
        }
        return;
    }
  }

  #revoked(revocation: Revocation): void {
    if (revocation.kind === "user") {
      for (const socket of copy(this.#byUser.get(revocation.userId))) {
        if (socket.token && socket.token.issuedAtMs < revocation.beforeMs) {
          socket.close(CLOSE.TOKEN_REVOKED);
        }
      }
      return;
    }
    for (const socket of copy(this.#byJti.get(revocation.jti))) socket.close(CLOSE.TOKEN_REVOKED);
  }
}

function add<K>(index: Map<K, Set<ControlledSocket>>, key: K, socket: ControlledSocket): void {
  let set = index.get(key);
  if (!set) index.set(key, set = new Set());
  set.add(socket);
}

function remove<K>(index: Map<K, Set<ControlledSocket>>, key: K, socket: ControlledSocket): void {
  const set = index.get(key);
  if (!set?.delete(socket)) return;
  if (set.size === 0) index.delete(key);
}

/** A snapshot, so closing a socket (which unregisters it) does not disturb the loop. */
function copy(sockets: Set<ControlledSocket> | undefined): ControlledSocket[] {
  return sockets ? [...sockets] : [];
}
