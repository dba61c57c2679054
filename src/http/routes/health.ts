/**
 * Probes (contract §5 and §8): `/healthz` (the store answers), `/livez` (the
 * process serves: a liveness probe that a store outage must not fail, or an
 * orchestrator would restart every server at once) and `/readyz` (the store
 * answers and sockets are accepted: a readiness probe that takes a stopping
 * server out of rotation).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { ShuttingDownError, StoreUnavailableError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { dataResponse } from "../envelope.ts";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { HEALTHZ, LIVEZ, READYZ } from "../schemas/operations.ts";

/** Dependencies of {@linkcode healthRoutes}. */
export interface HealthDeps {
  store: Store;
  /** False once the server is shutting down. */
  accepting: () => boolean;
}

/** Resolves when the store answers; throws {@linkcode StoreUnavailableError} otherwise. */
async function pingStore(store: Store): Promise<void> {
  try {
    await store.ping();
  } catch (error) {
    throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
  }
}

/** `/healthz`, `/livez` and `/readyz` (other methods: 405 on the new two, `/healthz` as it was). */
export function healthRoutes(deps: HealthDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get("/healthz", describeRoute(HEALTHZ), async () => {
      await pingStore(deps.store);
      return dataResponse({ status: "ok" });
    })
    .get("/livez", describeRoute(LIVEZ), () => dataResponse({ status: "ok" }))
    .get("/readyz", describeRoute(READYZ), async () => {
      if (!deps.accepting()) throw new ShuttingDownError();
      await pingStore(deps.store);
      // The store may have taken a while: shutdown may have begun meanwhile.
      if (!deps.accepting()) throw new ShuttingDownError();
      return dataResponse({ status: "ok" });
    })
    .all("/livez", methodNotAllowed("GET"))
    .all("/readyz", methodNotAllowed("GET"));
}
