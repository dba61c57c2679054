/**
 * The server API's bot users: an account per bot name, made on first use
 * with a password hash no secret matches, so no one can log in as a bot and a
 * person's name is never taken over by one.
 *
 * @module
 */
import { parseUsername } from "../auth/username.ts";
import { AppError, ConflictError } from "../errors.ts";
import type { PublicUser } from "../model.ts";
import type { Store } from "../store/store.ts";

/** The stored "hash" of a bot: not of the form a secret's hash has, so every login fails. */
const BOT_PASSWORD_HASH = "bot";

/** Finds or makes bot accounts. */
export class BotAccounts {
  readonly #store: Pick<Store, "findUserByCanonicalName" | "createUser">;

  constructor(store: Pick<Store, "findUserByCanonicalName" | "createUser">) {
    this.#store = store;
  }

  /**
   * The bot user of a name, made when there is none.
   *
   * @throws {import("../errors.ts").ValidationError} `BAD_USERNAME` for a name sign-up refuses
   * @throws {ConflictError} `USER_EXISTS` when a person (not a bot) has the name
   */
  async resolve(name: string): Promise<PublicUser> {
    const { display, canonical } = parseUsername(name);
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.#store.findUserByCanonicalName(canonical);
      if (found) {
        if (found.passwordHash !== BOT_PASSWORD_HASH) {
          throw new ConflictError(
            "USER_EXISTS",
            `Cannot act as bot "${display}": a user who is not a bot has that name`,
          );
        }
        return { id: found.id, username: found.username };
      }
      try {
        return await this.#store.createUser({
          username: display,
          canonical,
          passwordHash: BOT_PASSWORD_HASH,
        });
      } catch (error) {
        // Made by another request meanwhile: find it again.
        if (!(error instanceof AppError && error.type === "USER_EXISTS")) throw error;
      }
    }
    throw new ConflictError("USER_EXISTS", `Cannot act as bot "${display}": try again`);
  }
}
