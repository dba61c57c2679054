/**
 * Generates the `.d.ts` files of the JavaScript modules that browsers load as
 * they are (the contract and the client module), with `tsc` from the npm
 * `typescript` package: `allowJs`, `checkJs`, `declaration`,
 * `emitDeclarationOnly`. Each `.js` names its `.d.ts` with
 * `// @ts-self-types`, so Deno's checker and `deno doc` read the generated
 * types.
 *
 * `deno task types` writes them beside their sources;
 * `tests/contract/types_fresh_test.ts` regenerates them into a temporary
 * folder and fails when a committed one differs.
 *
 * @module
 */
import ts from "typescript";

/** The folders, relative to the repository, whose `.js` files get a `.d.ts`. */
export const TYPED_DIRS: readonly string[] = ["src/contract", "src/client"];

/** A failure of the generator: type errors in the JavaScript, or `deno fmt` failing. */
export class TypesError extends Error {
  override name = "TypesError";
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: true,
  declaration: true,
  emitDeclarationOnly: true,
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  target: ts.ScriptTarget.ES2024,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2024.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: [],
  skipLibCheck: true,
  newLine: ts.NewLineKind.LineFeed,
};

/** The `.js` files of the typed folders, as absolute paths, sorted. */
async function sources(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of TYPED_DIRS) {
    for await (const entry of Deno.readDir(`${root}/${dir}`)) {
      if (entry.isFile && entry.name.endsWith(".js")) out.push(`${root}/${dir}/${entry.name}`);
    }
  }
  return out.sort();
}

/** Whether a path is a generated `.d.ts` (one beside a typed `.js`). */
function isGenerated(root: string, path: string): boolean {
  if (!path.endsWith(".d.ts")) return false;
  return TYPED_DIRS.some((dir) => path.startsWith(`${root}/${dir}/`));
}

const DOC_BLOCK = /\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n?/g;

/**
 * Puts the source's `@module` comment at the top of its declarations (tsc
 * moves it below the first function, or drops it), removes the copies of
 * `@typedef` and `@import` comments that tsc leaves floating beside the types
 * it made of them, and marks imports type-only.
 */
function tidy(source: string, declarations: string): string {
  const moduleDoc = source.match(DOC_BLOCK)?.find((block) => /@module\b/.test(block));
  const body = declarations.replace(
    DOC_BLOCK,
    (block) => /@(module|typedef|callback|import)\b/.test(block) ? "" : block,
  );
  // A declaration file has no values to import: say so, as `verbatim-module-syntax` asks.
  const typeOnly = body.replace(/^import \{/gm, "import type {");
  return moduleDoc ? `${moduleDoc.trimEnd()}\n${typeOnly}` : typeOnly;
}

/**
 * Emits the declarations of every typed `.js` into `outDir` (mirroring the
 * repository's paths), formatted by `deno fmt` with the repository's options.
 * The committed `.d.ts` files are hidden from the compiler, so only the
 * JavaScript is read.
 *
 * @param root the repository's absolute path
 * @param outDir an existing folder to write into
 * @returns the written paths, relative to `outDir`, sorted
 * @throws {TypesError} when the JavaScript has type errors or formatting fails
 */
export async function generateTypes(root: string, outDir: string): Promise<string[]> {
  const files = await sources(root);
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (path) => !isGenerated(root, path) && fileExists(path);
  const program = ts.createProgram({
    rootNames: files,
    options: { ...COMPILER_OPTIONS, rootDir: root, outDir },
    host,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    throw new TypesError(ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n",
    }));
  }
  const written: string[] = [];
  const result = program.emit(undefined, (path, text) => {
    const relative = path.slice(outDir.length + 1);
    const source = Deno.readTextFileSync(`${root}/${relative.replace(/\.d\.ts$/, ".js")}`);
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(path, tidy(source, text));
    written.push(relative);
  });
  if (result.emitSkipped) throw new TypesError("tsc skipped the emit");
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", `--config=${root}/deno.json`, outDir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!fmt.success) throw new TypesError(new TextDecoder().decode(fmt.stderr));
  return written.sort();
}

/** The committed `.d.ts` files of the typed folders, relative to `root`, sorted. */
export async function committedTypes(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of TYPED_DIRS) {
    for await (const entry of Deno.readDir(`${root}/${dir}`)) {
      if (entry.isFile && entry.name.endsWith(".d.ts")) out.push(`${dir}/${entry.name}`);
    }
  }
  return out.sort();
}

async function main(): Promise<void> {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const outDir = await Deno.makeTempDir({ prefix: "chat-types-" });
  try {
    const written = await generateTypes(root, outDir);
    for (const stale of await committedTypes(root)) {
      if (!written.includes(stale)) await Deno.remove(`${root}/${stale}`);
    }
    for (const path of written) await Deno.copyFile(`${outDir}/${path}`, `${root}/${path}`);
    console.log(`Wrote ${written.length} declaration files`);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof TypesError ? error.message : error);
    Deno.exit(1);
  }
}
