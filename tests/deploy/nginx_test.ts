/**
 * A real nginx (Debian's package) in front of the server, with the
 * configuration `docs/operations.md` prints (`docs/deploy/nginx.conf`): TLS in
 * nginx, its default `Host $proxy_host` upstream, `TRUSTED_PROXIES=127.0.0.1`.
 *
 * @module
 */
import { startServer } from "../_helpers/server.ts";
import { makeCertificates } from "./_certs.ts";
import { startNginx } from "./_proxies.ts";
import { toolOrSkip } from "./_tools.ts";
import { proxyScenarios, SERVER_ENV } from "./_proxy_scenarios.ts";

const nginx = toolOrSkip("tests/deploy/nginx_test.ts", "nginx");
const openssl = toolOrSkip("tests/deploy/nginx_test.ts", "openssl");

if (nginx && openssl) {
  Deno.test("nginx with the documented configuration", async (t) => {
    await using certs = await makeCertificates();
    await using server = await startServer({ env: SERVER_ENV });
    await using proxy = await startNginx({
      binary: nginx,
      upstreamPort: Number(new URL(server.url).port),
      certPath: certs.certPath,
      keyPath: certs.keyPath,
      ca: certs.ca,
    });
    await proxyScenarios(t, proxy, server);
  });
}
