/**
 * The `dev` task: `src/main.ts` restarted whenever a file under `src/`
 * changes, its flags passed on, and stopped cleanly by SIGTERM or SIGINT.
 *
 * It watches the files itself rather than through `deno run --watch`: the
 * watcher of `--watch` ends the server's run without its shutdown on SIGTERM
 * (clients that are sending get 1006, not 1001) and keeps waiting for the
 * next change after the server's own `Deno.exit(0)`. Here a restart and a
 * stop both send the server SIGTERM, so it closes every socket with 1001 and
 * exits 0, and the launcher then starts the next run or exits with it.
 *
 * @module
 */

/** The longest the server may take to stop before it is killed. */
const STOP_WITHIN_MS = 4800;
/** Changes closer together than this are one restart (an editor writes a file in steps). */
const DEBOUNCE_MS = 150;

/** Flags that print something and exit: no watching for them. */
const ONE_SHOT = new Set(["--help", "-h", "--version", "-V"]);

/** Starts one run of the server with the launcher's flags. */
function startServer(main: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys=hostname",
      main,
      ...Deno.args,
    ],
    stdin: "inherit",
  }).spawn();
}

/** Sends SIGTERM, and SIGKILL if the run has not ended within {@linkcode STOP_WITHIN_MS}. */
async function stopServer(child: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Already gone.
  }
  const timer = setTimeout(() => {
    console.error(`The server did not stop within ${STOP_WITHIN_MS / 1000} s; killing it`);
    try {
      child.kill("SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }, STOP_WITHIN_MS);
  try {
    return await child.status;
  } finally {
    clearTimeout(timer);
  }
}

if (import.meta.main) {
  const main = new URL("./main.ts", import.meta.url).pathname;
  const src = new URL(".", import.meta.url).pathname;
  if (Deno.args.some((arg) => ONE_SHOT.has(arg))) {
    Deno.exit((await startServer(main).status).code);
  }

  let child = startServer(main);
  let stopping = false;
  const watcher = Deno.watchFs(src, { recursive: true });
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    watcher.close();
    const status = await stopServer(child);
    Deno.exit(status.signal === "SIGKILL" ? 1 : status.code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);

  let pending: ReturnType<typeof setTimeout> | undefined;
  let restarting = Promise.resolve();
  const restart = () => {
    restarting = restarting.then(async () => {
      if (stopping) return;
      console.error("A file under src/ changed: restarting the server");
      await stopServer(child);
      if (!stopping) child = startServer(main);
    });
  };
  // A run that ends by itself (a failure to start) leaves the launcher waiting for a fix.
  for await (const event of watcher) {
    if (event.kind === "access" || stopping) continue;
    clearTimeout(pending);
    pending = setTimeout(restart, DEBOUNCE_MS);
  }
}
