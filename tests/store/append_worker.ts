/**
 * A worker that opens its own SQLite handle on a shared file and appends to
 * one room, as an isolate of `deno serve --parallel` does.
 *
 * @module
 */
import { openSqliteStore } from "../../src/store/sqlite_store.ts";

/** The job a test posts to this worker. */
export interface AppendJob {
  readonly path: string;
  readonly room: string;
  readonly count: number;
  readonly label: string;
}

/** What the worker posts back: the seqs it was given, or the failure. */
export type AppendResult = { readonly seqs: number[] } | { readonly error: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<AppendJob>) => void) | null;
  postMessage(message: AppendResult): void;
};

scope.onmessage = async (event) => {
  const { path, room, count, label } = event.data;
  const store = openSqliteStore({ path });
  try {
    const seqs: number[] = [];
    for (let i = 0; i < count; i++) {
      const message = await store.appendMessage({
        id: crypto.randomUUID(),
        room,
        sender: { id: 1, username: label },
        text: `${label} ${i}`,
        createdAtMs: Date.now(),
      });
      seqs.push(message.seq);
    }
    scope.postMessage({ seqs });
  } catch (error) {
    scope.postMessage({ error: String(error) + " / " + String((error as Error).cause) });
  } finally {
    await store.close();
  }
};
