/**
 * The deployment recipes `docs/operations.md` prints: the systemd unit passes
 * `systemd-analyze verify` (with this machine's Deno in place of
 * `/usr/local/bin/deno`), and the Dockerfile copies what the server needs and
 * runs it with the `start` task's permissions. Docker itself cannot run here,
 * so the image is not built (the operations guide says so).
 *
 * @module
 */
import assert from "node:assert/strict";
import { toolOrSkip } from "./_tools.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));
const analyze = toolOrSkip("tests/deploy/recipes_test.ts", "systemd-analyze");

Deno.test({
  name: "docs/deploy/deno-chat.service passes systemd-analyze verify",
  ignore: analyze === undefined,
  async fn() {
    const unit = (await read("docs/deploy/deno-chat.service"))
      .replaceAll("/usr/local/bin/deno", Deno.execPath());
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/deno-chat.service`;
      await Deno.writeTextFile(path, unit);
      const out = await new Deno.Command(analyze!, {
        args: ["verify", path],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
      // Only the unit's own lines count: the host's other units may warn too.
      const own = text.split("\n").filter((line) => line.includes("deno-chat.service"));
      assert.deepEqual(own, [], text);
      assert.ok(out.success, text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the systemd unit and the Dockerfile run src/main.ts with the start task's permissions", async () => {
  const tasks = JSON.parse(await read("deno.json")).tasks as Record<string, string>;
  const start = tasks.start!.replace(/^deno run /, "").replace(/ src\/main\.ts$/, "").split(" ");
  const unit = await read("docs/deploy/deno-chat.service");
  const docker = await read("docs/deploy/Dockerfile");
  const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? "";
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(docker)?.[1] ?? "[]") as string[];
  for (const flag of start) {
    // --allow-write is narrowed to the data directory in both recipes.
    const wanted = flag === "--allow-write" ? "--allow-write=" : flag;
    assert.ok(execStart.split(" ").some((f) => f.startsWith(wanted)), `unit lacks ${flag}`);
    assert.ok(cmd.some((f) => f.startsWith(wanted)), `Dockerfile lacks ${flag}`);
  }
  assert.ok(execStart.endsWith(" src/main.ts"));
  assert.equal(cmd.at(-1), "src/main.ts");
  for (const path of [...docker.matchAll(/^COPY (\S+)/gm)].map((m) => m[1]!)) {
    await Deno.stat(new URL(path, root)); // every file the image copies exists
  }
});
