/**
 * Password hashing with WebCrypto PBKDF2-HMAC-SHA-256.
 *
 * The stored form names its algorithm and cost, so the cost can be raised and
 * old hashes upgraded on login: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
 *
 * @module
 */
import { timingSafeEqual } from "./timing_safe_equal.ts";

const ALGORITHM = "pbkdf2-sha256";
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function derive(secret: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/** A parsed stored hash. */
interface ParsedHash {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parse(stored: string): ParsedHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== ALGORITHM) return undefined;
  const iterations = Number(parts[1]);
  if (!Number.isSafeInteger(iterations) || iterations < 1) return undefined;
  try {
    return { iterations, salt: fromBase64(parts[2]!), hash: fromBase64(parts[3]!) };
  } catch {
    return undefined;
  }
}

/** Hashes a secret with a fresh random salt at the given cost. */
export async function hashPassword(secret: string, iterations: number): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(secret, salt, iterations);
  return `${ALGORITHM}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** The outcome of {@linkcode verifyPassword}. */
export interface VerifyResult {
  readonly ok: boolean;
  /** The stored hash is of another algorithm or a lower cost than wanted. */
  readonly needsRehash: boolean;
}

/**
 * Checks a secret against a stored hash in constant time.
 *
 * @param iterations the cost new hashes use; a lower stored cost sets `needsRehash`
 */
export async function verifyPassword(
  secret: string,
  stored: string,
  iterations: number,
): Promise<VerifyResult> {
  const parsed = parse(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const candidate = await derive(secret, parsed.salt, parsed.iterations);
  const ok = timingSafeEqual(candidate, parsed.hash);
  return { ok, needsRehash: ok && parsed.iterations < iterations };
}

/**
 * A hash of a random secret at the given cost: verifying against it costs what
 * a real verification costs, so an unknown user takes as long as a wrong secret.
 */
export function dummyHash(iterations: number): Promise<string> {
  return hashPassword(crypto.randomUUID(), iterations);
}
