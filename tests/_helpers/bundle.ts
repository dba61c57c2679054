/**
 * Test helper: the one-file bundle, built with `deno task bundle` and copied
 * into a temporary directory away from the repository (so it can only start
 * if it needs nothing beside it).
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** A built bundle in a directory of its own; disposing removes the directory. */
export interface BuiltBundle extends AsyncDisposable {
  /** The bundle's path. */
  readonly path: string;
  /** The directory that holds it (and nothing else). */
  readonly dir: string;
}

/**
 * Runs `deno task bundle` in the repository and copies `dist/chat-server.js`
 * into a fresh temporary directory.
 *
 * @throws {Error} with the build's output when the build fails
 */
export async function buildBundle(): Promise<BuiltBundle> {
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "bundle"],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!built.success) {
    throw new Error(`deno task bundle failed:\n${new TextDecoder().decode(built.stderr)}`);
  }
  const dir = await Deno.makeTempDir({ prefix: "chat-bundle-" });
  const path = `${dir}/chat-server.js`;
  await Deno.copyFile(`${ROOT}dist/chat-server.js`, path);
  return {
    path,
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}
