/**
 * The PEM contents `Deno.serve` needs for HTTPS and WSS, read from the files
 * `TLS_CERT` and `TLS_KEY` name, with a startup error that says which file
 * failed and why.
 *
 * @module
 */
import type { TlsFiles } from "../config/deploy_values.ts";
import { StartupError } from "../errors.ts";

/** Why a file cannot be read, in a few words. */
function reason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  return error instanceof Error ? error.message : String(error);
}

async function readPem(variable: string, path: string, label: RegExp, what: string) {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new StartupError(`Cannot read ${variable} "${path}": ${reason(error)}`);
  }
  if (!label.test(text)) {
    throw new StartupError(`Cannot use ${variable} "${path}": it holds no PEM ${what}`);
  }
  return text;
}

/**
 * Reads the certificate chain and the private key.
 *
 * @throws {StartupError} naming the variable and the file that cannot be read or holds no PEM
 */
export async function readTlsOptions(files: TlsFiles): Promise<Deno.TlsCertifiedKeyPem> {
  const cert = await readPem(
    "TLS_CERT",
    files.certPath,
    /-----BEGIN CERTIFICATE-----/,
    "certificate",
  );
  const key = await readPem("TLS_KEY", files.keyPath, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, "key");
  return { cert, key };
}

/** Failures of `Deno.serve` that are about the address, not the certificate. */
const NOT_TLS = [Deno.errors.AddrInUse, Deno.errors.AddrNotAvailable, Deno.errors.NotCapable];

/**
 * Runs `serve` (a `Deno.serve` call with these options), turning Deno's
 * refusal of the pair (not matching, not parseable) into a startup error.
 *
 * @throws {StartupError} naming both files and Deno's reason
 */
export function serveTls<T>(files: TlsFiles, serve: () => T): T {
  try {
    return serve();
  } catch (error) {
    if (NOT_TLS.some((kind) => error instanceof kind)) throw error;
    throw new StartupError(
      `Cannot serve HTTPS with TLS_CERT "${files.certPath}" and TLS_KEY "${files.keyPath}": ${
        reason(error)
      }`,
    );
  }
}
