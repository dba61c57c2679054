/**
 * JWTs through `jose`: HS256 only, `exp` required, issuer checked.
 *
 * @module
 */
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { AuthError } from "../errors.ts";
import type { PublicUser } from "../model.ts";

/** A verified token's user and expiry. */
export interface TokenClaims {
  readonly user: PublicUser;
  /** Unix seconds. */
  readonly exp: number;
}

/** Signs and verifies this server's tokens. */
export interface TokenService {
  sign(user: PublicUser): Promise<string>;
  /** @throws {AuthError} `INVALID_AUTH_TOKEN` for any token that is not valid now */
  verify(token: string): Promise<TokenClaims>;
}

/** Options for {@linkcode createTokenService}. */
export interface TokenOptions {
  secret: string;
  issuer: string;
  ttlSeconds: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
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
        typeof payload.name !== "string" || typeof payload.exp !== "number"
      ) {
        throw new AuthError("INVALID_AUTH_TOKEN", "The token's claims are not valid");
      }
      return { user: { id, username: payload.name }, exp: payload.exp };
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

  return {
    async sign(user) {
      const iat = Math.floor(now() / 1000);
      return await new SignJWT({ name: user.username })
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setSubject(String(user.id))
        .setIssuer(options.issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .sign(await key);
    },
    async verify(token) {
      const cached = verified.get(token);
      if (cached) {
        // jose allows no clock tolerance here either: expired at `exp` itself.
        if (cached.exp * 1000 > now()) return cached;
        verified.delete(token);
      }
      const claims = await check(token);
      if (verified.size >= CACHE_SIZE) {
        // Drop the oldest entry (Map iterates in insertion order).
        verified.delete(verified.keys().next().value!);
      }
      verified.set(token, claims);
      return claims;
    },
  };
}
