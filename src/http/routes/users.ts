/**
 * `/api/v1/users` and `/api/v1/login`.
 *
 * @module
 */
import { Hono } from "hono";
import type { Accounts } from "../../auth/accounts.ts";
import type { TokenService } from "../../auth/tokens.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { bearerAuth } from "../bearer_auth.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { readCredentials } from "../read_json_body.ts";

/** Dependencies of {@linkcode userRoutes}. */
export interface UserRoutesDeps {
  accounts: Accounts;
  tokens: TokenService;
  store: Store;
}

/** Sign-up, login and user lookup. */
export function userRoutes(deps: UserRoutesDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post("/users", async (c) => {
      const { username, secret } = await readCredentials(c.req.raw);
      return dataResponse(await deps.accounts.signUp(username, secret), 201);
    })
    .all("/users", methodNotAllowed("POST"))
    .post("/login", async (c) => {
      const { username, secret } = await readCredentials(c.req.raw);
      return dataResponse(await deps.accounts.login(username, secret));
    })
    .all("/login", methodNotAllowed("POST"))
    .get("/users/me", bearerAuth(deps.tokens), async (c) => {
      const user = await deps.store.findUserById(c.var.auth.user.id);
      if (!user) throw new NotFoundError("USER_NOT_FOUND", "The token's user no longer exists");
      return dataResponse(user);
    })
    .all("/users/me", methodNotAllowed("GET"))
    .get("/users/:id", async (c) => {
      const raw = c.req.param("id");
      const id = Number(raw);
      if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(id)) {
        throw new ValidationError(
          "BAD_QUERY",
          `Cannot read user "${raw}": id must be a positive integer`,
        );
      }
      const user = await deps.store.findUserById(id);
      if (!user) throw new NotFoundError("USER_NOT_FOUND", `Cannot find user ${id}`);
      return dataResponse(user);
    })
    .all("/users/:id", methodNotAllowed("GET"));
}
