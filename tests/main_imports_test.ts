/**
 * The composition root loads a store backend, and the Redis client, only when
 * the configuration picks it: a SQLite server never loads `redis`, a KV server
 * never loads `node:sqlite`. Checked on the module graph `deno info` reports.
 *
 * @module
 */
import assert from "node:assert/strict";

interface Dependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}

interface ModuleInfo {
  specifier: string;
  dependencies?: Dependency[];
}

/** Every module `entry` imports statically, following runtime (not type-only) imports. */
async function staticGraph(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: new URL("../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: ModuleInfo[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    const resolved = info.redirects[specifier] ?? specifier;
    if (seen.has(resolved)) return;
    seen.add(resolved);
    for (const dep of bySpecifier.get(resolved)?.dependencies ?? []) {
      if (dep.code && !dep.isDynamic) visit(dep.code.specifier);
    }
  };
  for (const root of info.roots) visit(root);
  return seen;
}

Deno.test("src/main.ts loads the store backends and the Redis client only on demand", async () => {
  const graph = [...await staticGraph("src/main.ts")];
  assert.ok(graph.some((s) => s.endsWith("/src/app.ts")), "the graph was read");
  for (const unwanted of [/^npm:\/?redis@/, /^node:sqlite$/, /\/store\/kv_store\.ts$/]) {
    const found = graph.filter((s) => unwanted.test(s));
    assert.deepEqual(found, [], `statically imported: ${found.join(", ")}`);
  }
});
