/**
 * `docs/operations.md` prints the proxy configurations the deployment tests
 * run and the recipes it gives, verbatim: the files under `docs/deploy/` are the one copy.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CADDYFILE, NGINX_CONF } from "./_proxies.ts";

const OPERATIONS = new URL("../../docs/operations.md", import.meta.url);
const SYSTEMD_UNIT = new URL("../../docs/deploy/deno-chat.service", import.meta.url);
const DOCKERFILE = new URL("../../docs/deploy/Dockerfile", import.meta.url);

Deno.test("docs/operations.md includes every file of docs/deploy/ verbatim", async () => {
  const doc = await Deno.readTextFile(OPERATIONS);
  const files = [
    [NGINX_CONF, "nginx"],
    [CADDYFILE, "caddyfile"],
    [SYSTEMD_UNIT, "ini"],
    [DOCKERFILE, "dockerfile"],
  ] as const;
  for (const [file, fence] of files) {
    const text = await Deno.readTextFile(file);
    assert.ok(
      doc.includes(`\`\`\`${fence}\n${text}\`\`\`\n`),
      `${file.pathname} is not in docs/operations.md as printed: paste it again`,
    );
  }
});
