/**
 * The ephemeral signals the nodes of one network exchange on the bus's
 * second channel (beside the logged events): who holds which user in a room
 * (`here`, `gone`, `hello`, `holders`), and the `typing` and `read` events of
 * protocol v2. They have no `seq`, are never stored, retained or replayed; a
 * lost one is repaired by the next `holders` refresh (presence) or simply
 * lost (typing, read). See docs/decisions.md, "Join and leave across nodes".
 *
 * @module
 */
import type { PublicUser } from "../model.ts";

/** A user's first socket in the room opened on `node`. */
export interface HereSignal {
  readonly kind: "here";
  readonly room: string;
  readonly node: string;
  readonly user: PublicUser;
}

/** A user's last socket in the room on `node` closed. */
export interface GoneSignal {
  readonly kind: "gone";
  readonly room: string;
  readonly node: string;
  readonly user: PublicUser;
}

/** `node` started following the room: every node holding users there answers with `holders`. */
export interface HelloSignal {
  readonly kind: "hello";
  readonly room: string;
  readonly node: string;
}

/** Every user `node` holds in the room (an answer to `hello`, and a periodic refresh). */
export interface HoldersSignal {
  readonly kind: "holders";
  readonly room: string;
  readonly node: string;
  readonly users: readonly PublicUser[];
}

/** `user` is typing in the room. */
export interface TypingSignal {
  readonly kind: "typing";
  readonly room: string;
  readonly node: string;
  readonly user: PublicUser;
}

/** `user` read the room up to `seq`; `origin` is the socket that said so (none for REST). */
export interface ReadSignal {
  readonly kind: "read";
  readonly room: string;
  readonly node: string;
  readonly user: PublicUser;
  readonly seq: number;
  readonly origin?: string;
}

/** Every signal, discriminated by `kind`. */
export type Signal =
  | HereSignal
  | GoneSignal
  | HelloSignal
  | HoldersSignal
  | TypingSignal
  | ReadSignal;

function isUser(value: unknown): value is PublicUser {
  if (typeof value !== "object" || value === null) return false;
  const { id, username } = value as { id?: unknown; username?: unknown };
  return Number.isSafeInteger(id) && typeof username === "string";
}

/**
 * Whether a value heard from another node is a well-formed signal of `room`
 * (the buses check what they did not publish themselves).
 */
export function isSignal(value: unknown, room: string): value is Signal {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  if (s.room !== room || typeof s.node !== "string") return false;
  switch (s.kind) {
    case "here":
    case "gone":
    case "typing":
      return isUser(s.user);
    case "hello":
      return true;
    case "holders":
      return Array.isArray(s.users) && s.users.every(isUser);
    case "read":
      return isUser(s.user) && Number.isSafeInteger(s.seq) &&
        (s.origin === undefined || typeof s.origin === "string");
    default:
      return false;
  }
}
