/**
 * What the benchmark reports say about the machine, and the commands they
 * share: running a command, reading a file, installing the Node peers.
 *
 * @module
 */
import { BUN_PATH, REPO_ROOT } from "./servers.ts";

const say = (message: string) => console.error(`[bench] ${message}`);

/** Runs a command in the repository root and collects its output; a missing command gives code -1. */
export async function output(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, cwd: REPO_ROOT, stdin: "null" }).output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } catch (error) {
    return { code: -1, stdout: "", stderr: String(error) };
  }
}

/** A file's text, or "" when it cannot be read. */
export const readText = (path: string) => Deno.readTextFile(path).catch(() => "");

/** The machine, runtimes, peers and commit, for a report's header. */
export async function machineInfo(): Promise<Record<string, string>> {
  const cpuinfo = await readText("/proc/cpuinfo");
  const meminfo = await readText("/proc/meminfo");
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
  const commit = (await output("git", ["rev-parse", "--short", "HEAD"])).stdout.trim();
  const dirty = (await output("git", ["status", "--porcelain", "--", "src"])).stdout.trim();
  return {
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    cores: String(navigator.hardwareConcurrency),
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    kernel: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    node: (await output("node", ["--version"])).stdout.trim() || "not found",
    "socket.io / ws / bun": await peerVersions(),
    commit: commit ? `${commit}${dirty ? " (src/ has uncommitted changes)" : ""}` : "unknown",
    "fd limit (soft / hard)": (await output("sh", ["-c", "echo $(ulimit -Sn) / $(ulimit -Hn)"]))
      .stdout.trim(),
    "load average at start": (await readText("/proc/loadavg")).split(" ").slice(0, 3).join(" "),
  };
}

async function peerVersions(): Promise<string> {
  const version = async (name: string) => {
    try {
      return JSON.parse(
        await Deno.readTextFile(`${REPO_ROOT}/bench/peers/node_modules/${name}/package.json`),
      ).version;
    } catch {
      return "?";
    }
  };
  return `${await version("socket.io")} / ${await version("ws")} / ${await version("bun")}`;
}

/**
 * Installs the Node peers (`npm ci --prefix bench/peers`) when they are
 * missing, and checks that the `bun` binary runs.
 */
export async function ensurePeers(): Promise<void> {
  const have = async (name: string) => {
    try {
      await Deno.stat(`${REPO_ROOT}/bench/peers/node_modules/${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  };
  const bunRuns = async () => (await output(BUN_PATH, ["--version"])).code === 0;
  if ((await have("socket.io")) && (await have("ws")) && (await have("bun")) && await bunRuns()) {
    return;
  }
  say("installing the Node peers: npm ci --prefix bench/peers");
  const result = await output("npm", ["ci", "--prefix", "bench/peers", "--no-audit", "--no-fund"]);
  if (result.code !== 0) throw new Error(`npm ci --prefix bench/peers failed:\n${result.stderr}`);
  // npm may hold back install scripts; bun's postinstall links its platform binary.
  if (!await bunRuns()) {
    await output("node", ["bench/peers/node_modules/bun/install.js"]);
    if (!await bunRuns()) say(`${BUN_PATH} does not run: the bun peer will fail to start`);
  }
}
