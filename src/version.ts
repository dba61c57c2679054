/**
 * What this build is: the server's version from deno.json and the runtime's
 * versions, for `--version` and the `chat_build_info` metric.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

/** The server's version, from deno.json. */
export const VERSION: string = denoJson.version;

/** The server's and the runtime's versions. */
export interface BuildInfo {
  readonly version: string;
  readonly deno: string;
  readonly v8: string;
  readonly typescript: string;
}

/** This build's versions. */
export function buildInfo(): BuildInfo {
  const { deno, v8, typescript } = Deno.version;
  return { version: VERSION, deno, v8, typescript };
}
