/**
 * `--help` and `--version`: the text they print, built from the variable table
 * and deno.json, and the check of the arguments that asks for them.
 *
 * @module
 */
import { buildInfo, VERSION } from "../version.ts";
import { CONFIG_VARIABLES } from "./variables.ts";

/** The flags that print the usage, and those that print the version. */
const HELP_FLAGS = new Set(["--help", "-h"]);
const VERSION_FLAGS = new Set(["--version", "-V"]);

/** What the arguments ask for: `help`, `version`, or to start the server (`undefined`). */
export function oneShotRequest(args: readonly string[]): "help" | "version" | undefined {
  if (args.some((arg) => HELP_FLAGS.has(arg))) return "help";
  if (args.some((arg) => VERSION_FLAGS.has(arg))) return "version";
  return undefined;
}

/** The flag of a variable: `DATABASE_PATH` → `--database-path`. */
function flagOf(name: string): string {
  return `--${name.toLowerCase().replaceAll("_", "-")}`;
}

/** The `--help` text: usage, then every variable with its flag, default and help. */
export function helpText(): string {
  const lines = [
    `chat-server ${VERSION}: a chat server on Deno`,
    "",
    "Usage: deno task start [--name=value | --name value]...",
    "       deno task start --help | --version",
    "",
    "Every setting is an environment variable; a flag of the same name overrides it.",
    "",
    "Variables (flag, default):",
  ];
  for (const variable of CONFIG_VARIABLES) {
    const value = variable.default === "" ? "none" : variable.default;
    lines.push(`  ${variable.name}  ${flagOf(variable.name)}  (default: ${value})`);
    lines.push(`      ${variable.help}`);
  }
  return lines.join("\n") + "\n";
}

/** The `--version` text: the server's version, then Deno's, V8's and TypeScript's. */
export function versionText(): string {
  const { deno, v8, typescript } = buildInfo();
  return `chat-server ${VERSION}\ndeno ${deno}\nv8 ${v8}\ntypescript ${typescript}\n`;
}
