/**
 * Test helper: checks a response against the envelope of contract §1 and
 * returns its parsed body.
 *
 * @module
 */
import assert from "node:assert/strict";

/** A parsed envelope. */
export interface Envelope {
  error: { type: string; message: string } | null;
  // deno-lint-ignore no-explicit-any
  data: any;
}

/** Text that must never reach a client: stack frames, file paths, library error text. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [^\s]+ \(?[^\s]*:\d+:\d+\)?/,
  /file:\/\//,
  /\.ts:\d+/,
  /\b(?:Syntax|Type|Range|Reference)Error\b/,
  /Unexpected (?:token|end of JSON)/i,
  /JSON at position/i,
  /SQLITE|sqlite/,
  /pbkdf2/i,
];

/** Fails when `text` holds anything in {@linkcode LEAK_PATTERNS}. */
export function assertNoLeak(text: string, label = ""): void {
  for (const pattern of LEAK_PATTERNS) {
    assert.doesNotMatch(text, pattern, `${label} leaks ${pattern}: ${text}`);
  }
}

/**
 * Reads `response` and checks: the status, the exact content type, exactly the
 * keys `error` and `data`, `error` null on 2xx and `data` null otherwise, and
 * an error of exactly `{type, message}` with a string message and no leak.
 *
 * @param expectedType the `error.type` expected (omit for a success)
 */
export async function readEnvelope(
  response: Response,
  status: number,
  expectedType?: string,
): Promise<Envelope> {
  const text = await response.text();
  const label = `${response.url} -> ${response.status} ${text.slice(0, 200)}`;
  assert.equal(response.status, status, label);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8", label);
  const body = JSON.parse(text) as Envelope;
  assert.equal(typeof body, "object", label);
  assert.notEqual(body, null, label);
  assert.deepEqual(Object.keys(body).sort(), ["data", "error"], label);
  if (status < 400) {
    assert.equal(body.error, null, label);
    assert.notEqual(body.data, null, label);
    assert.ok(expectedType === undefined, `${label}: expected ${expectedType}`);
  } else {
    assert.equal(body.data, null, label);
    assert.ok(body.error && typeof body.error === "object", label);
    assert.deepEqual(Object.keys(body.error).sort(), ["message", "type"], label);
    assert.equal(typeof body.error.type, "string", label);
    assert.match(body.error.type, /^[A-Z][A-Z_]*$/, label);
    assert.equal(typeof body.error.message, "string", label);
    assert.ok(body.error.message.length > 0, label);
    if (expectedType !== undefined) assert.equal(body.error.type, expectedType, label);
    assertNoLeak(body.error.message, label);
  }
  return body;
}
