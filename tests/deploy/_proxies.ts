/**
 * Test helper: a real nginx or Caddy on 127.0.0.1, run from a temporary
 * directory (its own pid, logs, temp files and data; no system service, no
 * port 80) with the configuration `docs/operations.md` prints. Only ports,
 * paths, the site address and the listen address are substituted.
 *
 * @module
 */
import { freePort } from "../_helpers/process.ts";

const DOCS = new URL("../../docs/deploy/", import.meta.url);

/** The nginx site configuration `docs/operations.md` includes. */
export const NGINX_CONF = new URL("nginx.conf", DOCS);
/** The Caddyfile `docs/operations.md` includes. */
export const CADDYFILE = new URL("Caddyfile", DOCS);

/** A running proxy. */
export interface RunningProxy extends AsyncDisposable {
  /** `https://127.0.0.1:<port>`: the origin browsers use. */
  readonly url: string;
  readonly wsUrl: string;
  /** The CA's PEM that signed the proxy's certificate. */
  readonly ca: string;
  /** The configuration it runs, for failure messages. */
  readonly config: string;
  /** Everything it wrote to stdout, stderr and its error log so far. */
  output(): Promise<string>;
}

/** Replaces `from` (which must occur) in `text`. */
export function substitute(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === "string" ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`The documented configuration no longer has ${from}`);
  return typeof from === "string" ? text.replaceAll(from, to) : text.replace(from, to);
}

/** Resolves once something accepts TCP connections on `port`, or throws after 15 s. */
async function listening(port: number, exited: () => boolean, output: () => Promise<string>) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the proxy exited:\n${await output()}`);
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`the proxy did not listen on ${port} within 15 s:\n${await output()}`);
}

/** Spawns `binary` and stops it (SIGTERM, then SIGKILL) and removes `dir` on dispose. */
async function run(
  binary: string,
  args: string[],
  env: Record<string, string>,
  dir: string,
  port: number,
  logFile: string | undefined,
): Promise<{ dispose(): Promise<void>; output(): Promise<string> }> {
  const child = new Deno.Command(binary, {
    args,
    env,
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let exited = false;
  const status = child.status.finally(() => (exited = true));
  const output = async () => {
    const log = logFile ? await Deno.readTextFile(logFile).catch(() => "") : "";
    return `${text}${log}`;
  };
  const dispose = async () => {
    if (!exited) child.kill("SIGTERM");
    const timer = setTimeout(() => exited || child.kill("SIGKILL"), 5000);
    await status;
    clearTimeout(timer);
    await drained;
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await listening(port, () => exited, output);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dispose, output };
}

/**
 * Starts nginx with `docs/deploy/nginx.conf` in front of `upstreamPort`,
 * serving TLS with the given certificate, inside a minimal main configuration
 * that keeps its pid, logs and temp files in a temporary directory.
 */
export async function startNginx(options: {
  binary: string;
  upstreamPort: number;
  certPath: string;
  keyPath: string;
  ca: string;
}): Promise<RunningProxy> {
  const dir = await Deno.makeTempDir({ prefix: "chat-nginx-test-" });
  // Workers run as an unprivileged user when nginx starts as root: let them in.
  await Deno.chmod(dir, 0o755);
  const port = freePort();
  let site = await Deno.readTextFile(NGINX_CONF);
  site = substitute(site, "listen 443 ssl;", `listen 127.0.0.1:${port} ssl;`);
  site = substitute(site, "server 127.0.0.1:8000;", `server 127.0.0.1:${options.upstreamPort};`);
  site = substitute(site, "/etc/ssl/certs/chat.example.com.pem", options.certPath);
  site = substitute(site, "/etc/ssl/private/chat.example.com.key", options.keyPath);
  await Deno.writeTextFile(`${dir}/chat.conf`, site);
  const main = [
    "daemon off;",
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log notice;`,
    "events { worker_connections 256; }",
    "http {",
    `  access_log ${dir}/access.log;`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
      `  ${kind}_temp_path ${dir}/${kind}_temp;`
    ),
    `  include ${dir}/chat.conf;`,
    "}",
  ].join("\n");
  await Deno.writeTextFile(`${dir}/nginx.conf`, main);
  const args = ["-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`];
  const proxy = await run(options.binary, args, {}, dir, port, `${dir}/error.log`);
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    wsUrl: url.replace("https", "wss"),
    ca: options.ca,
    config: site,
    output: proxy.output,
    [Symbol.asyncDispose]: proxy.dispose,
  };
}

/**
 * Starts Caddy with `docs/deploy/Caddyfile` in front of `upstreamPort`. The
 * site address becomes `127.0.0.1` (served with Caddy's own local CA, since
 * no public CA can be reached), and a global block keeps Caddy in a temporary
 * directory: no admin endpoint, no port 80, no change to the system's trust store.
 */
export async function startCaddy(options: {
  binary: string;
  upstreamPort: number;
}): Promise<RunningProxy> {
  const dir = await Deno.makeTempDir({ prefix: "chat-caddy-test-" });
  const port = freePort();
  let site = await Deno.readTextFile(CADDYFILE);
  site = substitute(site, /^chat\.example\.com \{$/m, "127.0.0.1 {");
  site = substitute(
    site,
    "reverse_proxy 127.0.0.1:8000",
    `reverse_proxy 127.0.0.1:${options.upstreamPort}`,
  );
  const global = [
    "{",
    "\tadmin off",
    "\tauto_https disable_redirects",
    "\tskip_install_trust",
    "\tlocal_certs",
    "\tdefault_bind 127.0.0.1",
    `\tstorage file_system ${dir}/data`,
    `\thttp_port ${freePort()}`,
    `\thttps_port ${port}`,
    "}",
  ].join("\n");
  const config = `${global}\n${site}`;
  await Deno.writeTextFile(`${dir}/Caddyfile`, config);
  const env = { HOME: dir, XDG_DATA_HOME: `${dir}/xdg-data`, XDG_CONFIG_HOME: `${dir}/xdg-config` };
  const args = ["run", "--config", `${dir}/Caddyfile`, "--adapter", "caddyfile"];
  const proxy = await run(options.binary, args, env, dir, port, undefined);
  const ca = await Deno.readTextFile(`${dir}/data/pki/authorities/local/root.crt`);
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    wsUrl: url.replace("https", "wss"),
    ca,
    config,
    output: proxy.output,
    [Symbol.asyncDispose]: proxy.dispose,
  };
}
