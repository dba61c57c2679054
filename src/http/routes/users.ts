/**
 * `/api/v1/users` and `/api/v1/login`. Each route's body and responses are
 * described by the schemas of `../schemas/users.ts`.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { describeRoute } from "hono-openapi";
import type { Accounts } from "../../auth/accounts.ts";
import type { TokenService } from "../../auth/tokens.ts";
import { canonicalUsername, MAX_USERNAME_CHARS } from "../../auth/username.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import type { PublicUser } from "../../model.ts";
import type { Store } from "../../store/store.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { parseIdParam } from "../id_param.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import type { Throttle } from "../throttle.ts";
import { jsonBody } from "../read_json_body.ts";
import { requireClaims } from "../request_auth.ts";
import { Credentials, LOGIN, SIGN_UP, USER_BY_ID } from "../schemas/users.ts";

/** Dependencies of {@linkcode userRoutes}. */
export interface UserRoutesDeps {
  accounts: Accounts;
  tokens: TokenService;
  store: Store;
  /** Login attempts per client address. */
  loginLimiter: Throttle;
  /** Failed logins per username. */
  loginUserLimiter: Throttle;
  /** Sign-ups per client address. */
  signupLimiter: Throttle;
  /** Whether a user is a server admin (`ADMIN_USERNAMES`), for `/users/me`'s `admin`; default none is. */
  isAdmin?: (user: PublicUser) => boolean;
}

/** The client's address as `Deno.serve` reports it. */
function clientAddress(c: Context<AppEnv>): string {
  return c.var.clientAddress;
}

/** Middleware: takes a token of `limiter` for the client's address, before the body is read. */
function throttle(limiter: Throttle): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await limiter.take(clientAddress(c));
    await next();
  };
}

/** Sign-up, login and user lookup. */
export function userRoutes(deps: UserRoutesDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post(
      "/users",
      describeRoute(SIGN_UP),
      throttle(deps.signupLimiter),
      jsonBody(Credentials),
      async (c) => {
        const { username, secret } = c.req.valid("json");
        return dataResponse(await deps.accounts.signUp(username, secret), 201);
      },
    )
    .all("/users", methodNotAllowed("POST"))
    .post(
      "/login",
      describeRoute(LOGIN),
      throttle(deps.loginLimiter),
      jsonBody(Credentials),
      async (c) => {
        const { username, secret } = c.req.valid("json");
        // No registered name is longer than 64 characters, so longer ones share one key
        // (which keeps the limiter's memory small whatever names are sent).
        const userKey = [...username].length > MAX_USERNAME_CHARS
          ? "\u0000too-long"
          : canonicalUsername(username);
        // Every attempt takes a token before the (slow) hash, so concurrent guesses
        // cannot all pass; one that succeeds, or fails on the server's side, gives it back.
        await deps.loginUserLimiter.take(userKey);
        let counted = false;
        try {
          return dataResponse(await deps.accounts.login(username, secret));
        } catch (error) {
          counted = error instanceof AppError && error.status < 500;
          throw error;
        } finally {
          if (!counted) await deps.loginUserLimiter.giveBack(userKey);
        }
      },
    )
    .all("/login", methodNotAllowed("POST"))
    // `/users/me` shares this route: Hono's fastest router cannot hold a static
    // segment and a parameter at the same place.
    .get("/users/:id", describeRoute(USER_BY_ID), async (c) => {
      const raw = c.req.param("id");
      if (raw === "me") {
        const { user: claimed } = await requireClaims(c, deps.tokens);
        const user = await deps.store.findUserById(claimed.id);
        if (!user) throw new NotFoundError("USER_NOT_FOUND", "The token's user no longer exists");
        return dataResponse({ ...user, admin: deps.isAdmin?.(user) ?? false });
      }
      const id = parseIdParam(raw, "user id");
      const user = await deps.store.findUserById(id);
      if (!user) throw new NotFoundError("USER_NOT_FOUND", `Cannot find user ${id}`);
      return dataResponse(user);
    })
    .all("/users/:id", methodNotAllowed("GET"));
}
