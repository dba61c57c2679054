/**
 * A real Caddy (Debian's package) in front of the server, with the
 * configuration `docs/operations.md` prints (`docs/deploy/Caddyfile`), served
 * with Caddy's local CA, and `TRUSTED_PROXIES=127.0.0.1`.
 *
 * @module
 */
import { startServer } from "../_helpers/server.ts";
import { startCaddy } from "./_proxies.ts";
import { toolOrSkip } from "./_tools.ts";
import { proxyScenarios, SERVER_ENV } from "./_proxy_scenarios.ts";

const caddy = toolOrSkip("tests/deploy/caddy_test.ts", "caddy");

if (caddy) {
  Deno.test("Caddy with the documented configuration", async (t) => {
    await using server = await startServer({ env: SERVER_ENV });
    await using proxy = await startCaddy({
      binary: caddy,
      upstreamPort: Number(new URL(server.url).port),
    });
    await proxyScenarios(t, proxy, server);
  });
}
