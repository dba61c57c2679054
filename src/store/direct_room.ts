/**
 * The name of the direct-message room of two users. Names starting `dm:` are
 * meant for these rooms only: the routes should refuse to create or post
 * into one that {@linkcode parseDirectRoomName} does not match with a
 * direct-message room of the store.
 *
 * @module
 */

/** `dm:<lower id>:<higher id>`: the same name whichever of the two asks. */
export function directRoomName(a: number, b: number): string {
  return a <= b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

/** The two user ids of a direct-message room name, lower first; `undefined` for another name. */
export function parseDirectRoomName(name: string): readonly [number, number] | undefined {
  const match = /^dm:([1-9][0-9]{0,15}):([1-9][0-9]{0,15})$/.exec(name);
  if (!match) return undefined;
  const a = Number(match[1]);
  const b = Number(match[2]);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a > b) return undefined;
  return [a, b];
}
