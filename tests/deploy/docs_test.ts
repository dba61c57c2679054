/**
 * `docs/operations.md` prints the proxy configurations the deployment tests
 * run, verbatim: the files under `docs/deploy/` are the one copy.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CADDYFILE, NGINX_CONF } from "./_proxies.ts";

const OPERATIONS = new URL("../../docs/operations.md", import.meta.url);

Deno.test("docs/operations.md includes docs/deploy/nginx.conf and Caddyfile verbatim", async () => {
  const doc = await Deno.readTextFile(OPERATIONS);
  for (const [file, fence] of [[NGINX_CONF, "nginx"], [CADDYFILE, "caddyfile"]] as const) {
    const text = await Deno.readTextFile(file);
    assert.ok(
      doc.includes(`\`\`\`${fence}\n${text}\`\`\`\n`),
      `${file.pathname} is not in docs/operations.md as printed: paste it again`,
    );
  }
});
