/**
 * Sends one request through `fetch` and checks what comes back: no 5xx, no
 * reset, no hang, the envelope on every JSON answer under `/api/`, and the
 * statuses and error types the contract allows for the input.
 *
 * @module
 */
import type { FuzzContext } from "./context.ts";
import { checkEnvelope, type Envelope } from "./envelope_check.ts";
import { showBytes, showText } from "./tally.ts";

/** A request to send. */
export interface HttpSpec {
  readonly method: string;
  /** Path and query, appended to the base URL. */
  readonly path: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Uint8Array;
  /** What the generator did, for failure samples. */
  readonly label: string;
}

/** What the contract allows for a request. */
export interface HttpExpect {
  /** Allowed statuses; any when absent. */
  readonly statuses?: readonly number[];
  /** Allowed `error.type` values for error statuses; any when absent. */
  readonly types?: readonly string[];
  /** A reset is acceptable (the server may stop reading an oversized body). */
  readonly resetOk?: boolean;
}

/** The answer, when there was one. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly envelope: Envelope | undefined;
}

/** Describes a request compactly for a failure sample. */
export function describeSpec(spec: HttpSpec): string {
  const headers = (spec.headers ?? []).map(([k, v]) => `${k}: ${showText(v, 120)}`).join("; ");
  const body = spec.body ? ` body=${showBytes(spec.body)}` : "";
  return `[${spec.label}] ${spec.method} ${showText(spec.path, 300)}${
    headers ? ` {${headers}}` : ""
  }${body}`;
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException &&
    (error.name === "TimeoutError" || error.name === "AbortError");
}

/** Sends `spec`, tallies the outcome and records failures. */
export async function sendHttp(
  ctx: FuzzContext,
  spec: HttpSpec,
  expect: HttpExpect = {},
): Promise<HttpResult | undefined> {
  ctx.count();
  const url = ctx.base + spec.path;
  const build = () =>
    new Request(url, {
      method: spec.method,
      headers: spec.headers?.map(([k, v]) => [k, v] as [string, string]),
      body: spec.body as Uint8Array<ArrayBuffer> | undefined,
      redirect: "manual",
    });
  try {
    build();
  } catch {
    ctx.tally.outcome("http client refused input");
    return undefined;
  }
  let response: Response | undefined;
  let text = "";
  let lastError: unknown;
  for (const client of [ctx.clients.pooled, ctx.clients.fresh]) {
    try {
      const signal = AbortSignal.timeout(ctx.timeoutMs);
      response = await fetch(build(), { client, signal });
      text = new TextDecoder().decode(await response.arrayBuffer());
      if (lastError !== undefined) ctx.tally.outcome("http reset on a pooled connection, retried");
      break;
    } catch (error) {
      response = undefined;
      lastError = error;
      if (isTimeout(error)) break;
    }
  }
  if (!response) {
    if (isTimeout(lastError)) {
      ctx.tally.outcome("http timeout");
      ctx.tally.fail("hang", `${describeSpec(spec)} → no answer within ${ctx.timeoutMs} ms`);
    } else if (expect.resetOk) {
      ctx.tally.outcome("http reset (allowed)");
    } else {
      ctx.tally.outcome("http reset");
      ctx.tally.fail("reset", `${describeSpec(spec)} → ${String(lastError).slice(0, 200)}`);
    }
    return undefined;
  }
  const { status } = response;
  ctx.tally.outcome(`http ${status}`);
  const sample = () => `${describeSpec(spec)} → ${status} ${showText(text, 300)}`;
  if (status >= 500) ctx.tally.fail("5xx", sample());
  let envelope: Envelope | undefined;
  const pathname = new URL(response.url || url).pathname;
  if ((pathname.startsWith("/api/") || pathname === "/healthz") && spec.method !== "HEAD") {
    const checked = checkEnvelope(status, response.headers.get("content-type"), text);
    if (!checked.ok) ctx.tally.fail("envelope", `${sample()} (${checked.problem})`);
    else envelope = checked.envelope;
  }
  if (expect.statuses && !expect.statuses.includes(status)) {
    ctx.tally.fail("contract", `${sample()} (expected ${expect.statuses.join("/")})`);
  } else if (
    expect.types && status >= 400 && envelope?.error && !expect.types.includes(envelope.error.type)
  ) {
    ctx.tally.fail("contract", `${sample()} (expected type ${expect.types.join("/")})`);
  }
  return { status, headers: response.headers, text, envelope };
}
