/**
 * JWTs through `jose`: HS256 only, `exp` required, issuer checked. Each token
 * has a `jti` (its issue time in milliseconds, base 36, a dot and 16 random
 * characters), so one token can be revoked and a user's tokens can be cut off
 * at a millisecond; verification consults the isolate's
 * {@linkcode RevocationList} when it is given one.
 *
 * @module
 */
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { AuthError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { TokenRef } from "../store/store.ts";
import type { RevocationList } from "./revocation_list.ts";

/** A verified token's user, expiry and what revoking it needs. */
export interface TokenClaims extends TokenRef {
  readonly user: PublicUser;
  /** Unix seconds. */
  readonly exp: number;
}

/** Signs and verifies this server's tokens. */
export interface TokenService {
  sign(user: PublicUser): Promise<string>;
  /**
   * @throws {AuthError} `INVALID_AUTH_TOKEN` for any token that is not valid
   *   now: a bad or expired one, or one revoked
   */
  verify(token: string): Promise<TokenClaims>;
  /** Whether a token verified earlier has been revoked since, as this isolate knows (no I/O). */
  isRevoked(claims: TokenRef): boolean;
}

/** Options for {@linkcode createTokenService}. */
export interface TokenOptions {
  secret: string;
  issuer: string;
  ttlSeconds: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** The revoked tokens; without it no token counts as revoked. */
  revocations?: RevocationList;
}

/** `<issue ms, base 36>.<16 random base64url characters>`. */
const JTI = /^([0-9a-z]{1,11})\.[A-Za-z0-9_-]{16}$/;

/** A fresh `jti` for a token issued at `ms`. */
function newJti(ms: number): string {
  const random = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(12))))
    .replaceAll("+", "-").replaceAll("/", "_");
  return `${ms.toString(36)}.${random}`;
}

/** When a token was issued, to the millisecond when its `jti` says so (and agrees with `iat`). */
function issuedAtMs(jti: string | undefined, iat: number | undefined): number {
  const fromIat = (iat ?? 0) * 1000;
  const match = jti === undefined ? null : JTI.exec(jti);
  if (!match) return fromIat;
  const ms = parseInt(match[1]!, 36);
  return Math.floor(ms / 1000) * 1000 === fromIat ? ms : fromIat;
}

const ALGORITHM = "HS256";

/** How many verified tokens are remembered (a connect storm reuses tokens). */
const CACHE_SIZE = 1_000;

/**
 * Builds the token service over one HS256 secret. The HMAC key is imported
 * once, and verified tokens are remembered until they expire, so reconnects
 * skip the signature check.
 */
export function createTokenService(options: TokenOptions): TokenService {
  const key = crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(options.secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  const now = options.now ?? Date.now;
  const verified = new Map<string, TokenClaims>();

  const check = async (token: string): Promise<TokenClaims> => {
    try {
      const { payload } = await jwtVerify(token, await key, {
        algorithms: [ALGORITHM],
        issuer: options.issuer,
        requiredClaims: ["exp", "sub"],
        currentDate: new Date(now()),
      });
      const id = Number(payload.sub);
      if (
        !/^[1-9]\d*$/.test(payload.sub ?? "") || !Number.isSafeInteger(id) ||
        typeof payload.name !== "string" || typeof payload.exp !== "number" ||
        (payload.jti !== undefined && typeof payload.jti !== "string")
      ) {
        throw new AuthError("INVALID_AUTH_TOKEN", "The token's claims are not valid");
      }
      const claims: TokenClaims = {
        user: { id, username: payload.name },
        exp: payload.exp,
        userId: id,
        issuedAtMs: issuedAtMs(payload.jti, payload.iat),
      };
      return payload.jti === undefined ? claims : { ...claims, jti: payload.jti };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      const expired = error instanceof joseErrors.JWTExpired;
      throw new AuthError(
        "INVALID_AUTH_TOKEN",
        expired ? "The token has expired" : "The token is not valid",
        { cause: error },
      );
    }
  };

  const { revocations } = options;
  const notRevoked = async (claims: TokenClaims): Promise<TokenClaims> => {
    if (!revocations) return claims;
    await revocations.ready();
    if (revocations.isRevoked(claims)) {
      throw new AuthError("INVALID_AUTH_TOKEN", "The token has been revoked");
    }
    return claims;
  };

  return {
    async sign(user) {
      const ms = now();
      const iat = Math.floor(ms / 1000);
      return await new SignJWT({ name: user.username })
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setSubject(String(user.id))
        .setIssuer(options.issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .setJti(newJti(ms))
        .sign(await key);
    },
    async verify(token) {
      const cached = verified.get(token);
      if (cached) {
        // jose allows no clock tolerance here either: expired at `exp` itself.
        if (cached.exp * 1000 > now()) return await notRevoked(cached);
        verified.delete(token);
      }
      const claims = await check(token);
      if (verified.size >= CACHE_SIZE) {
        // Drop the oldest entry (Map iterates in insertion order).
        verified.delete(verified.keys().next().value!);
      }
      verified.set(token, claims);
      return await notRevoked(claims);
    },
    isRevoked: (claims) => revocations?.isRevoked(claims) ?? false,
  };
}
