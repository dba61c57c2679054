/**
 * Reads a request body as a JSON object, enforcing the size limit and then the
 * media type before parsing, and binds it to a route's body schema
 * ({@linkcode jsonBody}), which also documents the body in the OpenAPI document.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { resolver, uniqueSymbol } from "hono-openapi";
import * as v from "valibot";
import { MAX_BODY_BYTES } from "../contract/mod.js";
import { AppError, ValidationError } from "../errors.ts";
import { describeIssue, PARSE_CONFIG } from "./describe_issue.ts";
import type { AppEnv } from "./env.ts";

/** The largest request body accepted, in bytes (the contract's limit). */
export { MAX_BODY_BYTES };

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

/** A body schema: a JSON object whose fields are checked by type (the domain checks the rest). */
export type BodySchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

/**
 * Middleware that reads the body ({@linkcode readJsonObject}) and validates it
 * with `schema`; the handler reads the result as `c.req.valid("json")`. The
 * same schema is the operation's request body in the OpenAPI document.
 *
 * @throws {ValidationError} `BAD_BINDING` naming the first field that does not fit
 */
export function jsonBody<S extends BodySchema>(
  schema: S,
): MiddlewareHandler<
  AppEnv,
  string,
  { in: { json: v.InferInput<S> }; out: { json: v.InferOutput<S> } }
> {
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const result = v.safeParse(schema, await readJsonObject(c.req.raw), PARSE_CONFIG);
    if (!result.success) {
      const { field, must } = describeIssue(schema, result.issues);
      throw badBinding(`Field "${field}" must be ${must}`);
    }
    c.req.addValidatedData("json", result.output);
    await next();
  };
  return Object.assign(middleware, { [uniqueSymbol]: { target: "json", ...resolver(schema) } });
}
