/**
 * Query strings bound to schemas, with `BAD_QUERY` errors: {@linkcode queryParams}
 * validates a route's query with one schema that also documents its
 * parameters, built from {@linkcode wholeNumber} and {@linkcode flag}.
 *
 * Values come from Hono's `c.req.queries()` rather than
 * `new URL(request.url)`, which throws on a malformed `Host` header.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { resolver, uniqueSymbol } from "hono-openapi";
import * as v from "valibot";
import { ValidationError } from "../errors.ts";
import { describeIssue, PARSE_CONFIG } from "./describe_issue.ts";
import type { AppEnv } from "./env.ts";

/** Every value of one query parameter (`c.req.queries(name)`), or `undefined` when absent. */
export type QueryValues = string[] | undefined;

/** A query schema: an object of optional parameters, each read from one string. */
export type QuerySchema = v.ObjectSchema<v.ObjectEntries, undefined>;

/** Digits only: no sign, point, exponent, white space or hex. */
const DIGITS = /^\d{1,16}$/;

/** A whole number within `[min, max]`, written in decimal digits. */
export function wholeNumber(min: number, max: number) {
  const must = `a whole number from ${min} to ${max}`;
  return v.pipe(
    v.string(must),
    v.check((raw) => DIGITS.test(raw), must),
    v.transform(Number),
    v.number(),
    v.integer(must),
    v.minValue(min, must),
    v.maxValue(max, must),
  );
}

/** A flag given as `1`/`0`/`true`/`false` in any case (empty means true). */
export function flag() {
  return v.pipe(
    v.string("1 or 0"),
    v.transform((raw) => raw.toLowerCase()),
    v.picklist(["1", "true", "", "0", "false"], "1 or 0"),
    v.transform((value) => value === "1" || value === "true" || value === ""),
  );
}

/**
 * How a query schema becomes the document's parameters: each is described by
 * the value it becomes (an integer, not the digits it is sent as); `check`
 * actions have no JSON Schema form.
 */
const QUERY_DOCS = { options: { typeMode: "output", ignoreActions: ["check"] } };

function badQuery(message: string): ValidationError {
  return new ValidationError("BAD_QUERY", message);
}

/**
 * Reads the parameters `schema` names from `queries`: each at most once.
 *
 * @throws {ValidationError} `BAD_QUERY` naming the parameter
 */
export function readQuery<S extends QuerySchema>(
  schema: S,
  queries: Record<string, string[]>,
): v.InferOutput<S> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(schema.entries)) {
    const given = queries[name];
    if (!given || given.length === 0) continue;
    if (given.length > 1) throw badQuery(`Query parameter "${name}" is given more than once`);
    values[name] = given[0]!;
  }
  const result = v.safeParse(schema, values, PARSE_CONFIG);
  if (result.success) return result.output;
  const { field, must } = describeIssue(schema, result.issues);
  throw badQuery(`Query parameter "${field}" must be ${must}`);
}

/**
 * Middleware that validates the query with `schema` ({@linkcode readQuery});
 * the handler reads the result as `c.req.valid("query")`. The same schema
 * lists the operation's query parameters in the OpenAPI document.
 */
export function queryParams<S extends QuerySchema>(
  schema: S,
): MiddlewareHandler<
  AppEnv,
  string,
  { in: { query: Record<string, string> }; out: { query: v.InferOutput<S> } }
> {
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.req.addValidatedData("query", readQuery(schema, c.req.queries()));
    await next();
  };
  return Object.assign(middleware, {
    [uniqueSymbol]: { target: "query", ...resolver(schema, QUERY_DOCS) },
  });
}

/**
 * Reads an optional whole-number query parameter within `[min, max]`.
 *
 * @throws {ValidationError} `BAD_QUERY` naming the parameter
 */
export function intParam(
  query: QueryValues,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const schema = v.object({ [name]: v.optional(wholeNumber(min, max)) });
  return readQuery(schema, query ? { [name]: query } : {})[name];
}

/**
 * Reads an optional boolean flag given as `1`/`0`/`true`/`false` (empty means
 * true); only its first value counts.
 *
 * @throws {ValidationError} `BAD_QUERY`
 */
export function flagParam(query: QueryValues, name: string): boolean {
  const schema = v.object({ [name]: v.optional(flag(), "0") });
  return readQuery(schema, query?.length ? { [name]: [query[0]!] } : {})[name]!;
}
