/**
 * Schemas of the response envelope (`{error, data}`) and the builders that
 * turn a data schema or a list of error types into an OpenAPI response of a
 * route's description.
 *
 * @module
 */
import { type DescribeRouteOptions, resolver } from "hono-openapi";
import * as v from "valibot";
import { MAX_BODY_BYTES } from "../../contract/mod.js";

/** One entry of {@linkcode DescribeRouteOptions.responses}. */
export type ResponseSpec = NonNullable<DescribeRouteOptions["responses"]>[string];

/** A response header's description; `required` ones are always sent. */
export type HeaderSpec = {
  description: string;
  required?: boolean;
  schema: Record<string, unknown>;
};

/** The media type of every JSON body. */
export const JSON_MEDIA = "application/json";

/** The success envelope: `error` is null, `data` is `data`. */
export function dataEnvelope<S extends v.GenericSchema>(data: S) {
  return v.strictObject({ error: v.null(), data });
}

/** The `error` member of a failure: a code word and a short message safe to show. */
function errorObject<T extends string>(types: v.GenericSchema<T>) {
  return v.strictObject({
    type: types,
    message: v.pipe(v.string(), v.minLength(1), v.description("Short, human, safe to show")),
  });
}

/** Any failure envelope: `data` is null, `error.type` a code word such as `BAD_BINDING`. */
export const ErrorEnvelope = v.pipe(
  v.strictObject({
    error: errorObject(v.pipe(v.string(), v.regex(/^[A-Z][A-Z_]*$/))),
    data: v.null(),
  }),
  v.metadata({ ref: "ErrorEnvelope" }),
);

/** The failure envelope whose `error.type` is one of `types`. */
export function errorEnvelope(types: readonly [string, ...string[]]) {
  return v.strictObject({ error: errorObject(v.picklist(types)), data: v.null() });
}

/** A success response whose envelope carries `data`. */
export function ok(description: string, data: v.GenericSchema): ResponseSpec {
  return { description, content: { [JSON_MEDIA]: { schema: resolver(dataEnvelope(data)) } } };
}

/** A failure response whose `error.type` is one of `types`. */
export function failure(
  description: string,
  types: readonly [string, ...string[]],
  headers?: Record<string, HeaderSpec>,
): ResponseSpec {
  const content = { [JSON_MEDIA]: { schema: resolver(errorEnvelope(types)) } };
  return headers ? { description, headers, content } : { description, content };
}

/** `Retry-After` on 429 and 503 answers. */
export const RETRY_AFTER: Record<string, HeaderSpec> = {
  "Retry-After": {
    description: "Whole seconds to wait",
    required: true,
    schema: { type: "integer", minimum: 1 },
  },
};

/** 500: the server failed; the detail is only in its log. */
export const INTERNAL = failure("The server failed; the detail is only in its log", [
  "INTERNAL_ERROR",
]);

/** 503: the store does not answer. */
export const STORE_DOWN = failure("The store does not answer", ["STORE_UNAVAILABLE"]);

/** 413: a JSON body past the limit every body has. */
export const TOO_LARGE = failure(`The body is larger than ${MAX_BODY_BYTES} bytes`, [
  "PAYLOAD_TOO_LARGE",
]);

/** The 500 and 503 every route that reads the store may answer. */
export const STORE_FAILURES = { "500": INTERNAL, "503": STORE_DOWN } as const;

/** A path parameter: a positive whole number (a user id, a message's seq). */
export function idParam(
  name: string,
  description?: string,
): NonNullable<DescribeRouteOptions["parameters"]>[number] {
  return {
    name,
    in: "path",
    required: true,
    ...(description === undefined ? {} : { description }),
    schema: { type: "integer", minimum: 1 },
  };
}
