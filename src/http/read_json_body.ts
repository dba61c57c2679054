/**
 * Reads a request body as a JSON object, enforcing the media type and a size
 * limit before parsing.
 *
 * @module
 */
import { AppError, ValidationError } from "../errors.ts";

/** The largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

function tooLarge(): AppError {
  return new AppError(
    413,
    "PAYLOAD_TOO_LARGE",
    `Request body is larger than ${MAX_BODY_BYTES} bytes`,
  );
}

function badBinding(message: string, cause?: unknown): ValidationError {
  return new ValidationError("BAD_BINDING", message, { cause });
}

/** Refuses a body whose declared length is past `limit`, before anything else is looked at. */
function checkDeclaredLength(request: Request, limit: number): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge();
}

/** Reads the body, refusing it once more than `limit` bytes have arrived (the declared length is checked by the caller). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw badBinding("Cannot read request body: it was cut off", error);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Reads the body as a JSON object.
 *
 * @throws {ValidationError} `BAD_BINDING` for a wrong media type, unreadable or non-object body
 * @throws {AppError} 413 `PAYLOAD_TOO_LARGE` past {@linkcode MAX_BODY_BYTES}
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  checkDeclaredLength(request, MAX_BODY_BYTES);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw badBinding('Request body must have content type "application/json"');
  }
  const bytes = await readLimited(request, MAX_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw badBinding("Request body is not valid UTF-8", error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badBinding("Request body is not valid JSON", error);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badBinding("Request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * Reads `{"username": string, "secret": string}`.
 *
 * @throws {ValidationError} `BAD_BINDING` when a field is missing or not a string
 */
export async function readCredentials(
  request: Request,
): Promise<{ username: string; secret: string }> {
  const body = await readJsonObject(request);
  for (const field of ["username", "secret"] as const) {
    if (typeof body[field] !== "string") {
      throw badBinding(`Field "${field}" must be a string`);
    }
  }
  return { username: body.username as string, secret: body.secret as string };
}
