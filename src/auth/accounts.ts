/**
 * Sign-up and login: validation, hashing, uniqueness and tokens.
 *
 * @module
 */
import { AuthError, ForbiddenError, ValidationError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { Store } from "../store/store.ts";
import { concurrencyLimit } from "./concurrency_limit.ts";
import { dummyHash, hashPassword, verifyPassword } from "./password.ts";
import type { TokenService } from "./tokens.ts";
import { checkSecret, parseUsername } from "./username.ts";

/** A successful login. */
export interface LoginResult {
  readonly token: string;
  readonly user: PublicUser;
}

/** Sign-up and login. */
export interface Accounts {
  /** @throws {ValidationError} `BAD_USERNAME` / `BAD_PASSWORD`; {ConflictError} `USER_EXISTS` */
  signUp(username: string, secret: string): Promise<PublicUser>;
  /**
   * @throws {ValidationError} `USER_NOT_FOUND`; {AuthError} `PASSWORD_MATCH_FAILED`;
   *   {ForbiddenError} `USER_BANNED` for a user banned from the server
   */
  login(username: string, secret: string): Promise<LoginResult>;
}

/** Dependencies of {@linkcode createAccounts}. */
export interface AccountsOptions {
  store: Store;
  tokens: TokenService;
  /** PBKDF2 cost of new hashes. */
  iterations: number;
  /** Hashes computed at once; default one core less than the machine has (at least 1). */
  maxConcurrentHashes?: number;
  /** Milliseconds since the epoch (whether a server ban is in force). */
  now?: () => number;
}

/** Builds the account service. */
export function createAccounts(options: AccountsOptions): Accounts {
  const { store, tokens, iterations } = options;
  const limit = concurrencyLimit(
    options.maxConcurrentHashes ?? Math.max(1, (navigator.hardwareConcurrency ?? 2) - 1),
  );
  const hash = (secret: string) => limit(() => hashPassword(secret, iterations));
  const verify = (secret: string, stored: string) =>
    limit(() => verifyPassword(secret, stored, iterations));
  // Made now, so the first unknown-user login costs one hash like every other.
  const dummy = limit(() => dummyHash(iterations));
  dummy.catch(() => {});
  /** Spends the time a real check takes, so timing does not reveal which names exist. */
  const noSuchUser = async (secret: string): Promise<never> => {
    await verify(secret, await dummy);
    throw new ValidationError("USER_NOT_FOUND", "Cannot log in: no such user");
  };
  return {
    async signUp(username, secret) {
      const name = parseUsername(username);
      checkSecret(secret);
      const passwordHash = await hash(secret);
      return await store.createUser({
        username: name.display,
        canonical: name.canonical,
        passwordHash,
      });
    },

    async login(username, secret) {
      let canonical: string;
      try {
        // A name that sign-up refuses (too long, control characters, …) names no user.
        canonical = parseUsername(username).canonical;
      } catch (error) {
        if (error instanceof ValidationError) return await noSuchUser(secret);
        throw error;
      }
      const user = await store.findUserByCanonicalName(canonical);
      if (!user) return await noSuchUser(secret);
      const result = await verify(secret, user.passwordHash);
      if (!result.ok) {
        throw new AuthError("PASSWORD_MATCH_FAILED", "Cannot log in: the secret does not match");
      }
      if (await store.findRestriction("ban", null, user.id, (options.now ?? Date.now)())) {
        throw new ForbiddenError(
          "USER_BANNED",
          "Cannot log in: the user is banned from this server",
        );
      }
      if (result.needsRehash) {
        await store.updatePasswordHash(user.id, await hash(secret));
      }
      const publicUser = { id: user.id, username: user.username };
      return { token: await tokens.sign(publicUser), user: publicUser };
    },
  };
}
