/**
 * Checks a response body against the envelope of contract §1.
 *
 * @module
 */

/** Parsed envelope fields, when the body is one. */
export interface Envelope {
  readonly error: { readonly type: string; readonly message: string } | null;
  readonly data: unknown;
}

/** The outcome of {@linkcode checkEnvelope}. */
export type EnvelopeCheck =
  | { readonly ok: true; readonly envelope: Envelope | undefined }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks that a body is the JSON envelope: exactly `error` and `data`, the
 * status agreeing with which one is null, and a JSON content type. An empty
 * body passes (with no envelope).
 */
export function checkEnvelope(
  status: number,
  contentType: string | null,
  body: string,
): EnvelopeCheck {
  if (body.length === 0) return { ok: true, envelope: undefined };
  const fail = (problem: string): EnvelopeCheck => ({ ok: false, problem });
  if (!/^application\/json\s*;\s*charset=utf-8$/i.test(contentType ?? "")) {
    return fail(`content-type is ${JSON.stringify(contentType)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return fail("body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("body is not a JSON object");
  }
  const keys = Object.keys(value).sort().join(",");
  if (keys !== "data,error") return fail(`keys are [${keys}]`);
  const { error, data } = value as { error: unknown; data: unknown };
  if (status < 400) {
    if (error !== null) return fail(`status ${status} with a non-null error`);
    return { ok: true, envelope: { error: null, data } };
  }
  if (data !== null) return fail(`status ${status} with non-null data`);
  if (typeof error !== "object" || error === null) {
    return fail(`status ${status} without an error object`);
  }
  const { type, message } = error as { type: unknown; message: unknown };
  if (typeof type !== "string" || typeof message !== "string") {
    return fail("error.type or error.message is not a string");
  }
  return { ok: true, envelope: { error: { type, message }, data } };
}
