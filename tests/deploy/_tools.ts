/**
 * Test helper: the external tools the deployment tests run (`nginx`, `caddy`,
 * `openssl`). When one is missing, {@linkcode toolOrSkip} registers a failing
 * test under `CI=true` and otherwise prints why the module is skipped.
 *
 * @module
 */

/** The path of `name` (also looked for in `/usr/sbin`), or `undefined`. */
export function findTool(name: string): string | undefined {
  for (const dir of [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * The path of a tool the tests of `module` need (`nginx`, `caddy`, `openssl`),
 * or `undefined` (after registering a failing test under `CI=true`, or
 * printing the reason otherwise).
 */
export function toolOrSkip(module: string, name: string): string | undefined {
  const path = findTool(name);
  if (path !== undefined) return path;
  const missing = `${name} is not installed (apt-get install -y ${name})`;
  if (Deno.env.get("CI") === "true") {
    Deno.test(`${module}: ${name} is installed (required when CI=true)`, () => {
      throw new Error(missing);
    });
  } else {
    console.error(`Skipping ${module}: ${missing}`);
  }
  return undefined;
}
