/**
 * Turns the first issue valibot reports for a request body or query into the
 * field it is about and what that field must be, for an error message that
 * names both (`Field "secret" must be a string`). Library text never reaches
 * a client: a schema's own messages say what a value must be, and a schema
 * without one is described by the type it expected.
 *
 * @module
 */
import * as v from "valibot";

/** Parse options: stop at the first issue; an action without its own message leaves it empty. */
export const PARSE_CONFIG: v.Config<v.BaseIssue<unknown>> = { abortEarly: true, message: () => "" };

/** What a value of each expected type must be, as words. */
const EXPECTED: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  Object: "an object",
  Array: "an array",
  null: "null",
};

/** The field an issue is about and what that field must be. */
export interface IssueDescription {
  /** The field's path, dot-separated (`user.name`). */
  readonly field: string;
  /** What it must be: `a string`, `a whole number from 1 to 100`. */
  readonly must: string;
}

function mustOf(issue: v.BaseIssue<unknown>): string {
  if (issue.message) return issue.message;
  // A union or picklist expects `("a" | "b")`: the words read better without the parentheses.
  const expected = (issue.expected ?? "").replace(/^\((.*)\)$/, "$1");
  return EXPECTED[expected] ?? (expected || "valid");
}

/** The schema of the field at `keys` inside `schema`, looking through `optional` and the like. */
function fieldSchema(
  schema: v.GenericSchema,
  keys: readonly string[],
): v.GenericSchema | undefined {
  let current: unknown = schema;
  for (const key of keys) {
    while (current && typeof current === "object" && "wrapped" in current) {
      current = current.wrapped;
    }
    const entries = current && typeof current === "object" && "entries" in current
      ? current.entries as Record<string, unknown>
      : undefined;
    current = entries?.[key];
  }
  return current as v.GenericSchema | undefined;
}

/**
 * Describes the first of `issues`, found by parsing with `schema` (and
 * {@linkcode PARSE_CONFIG}).
 *
 * A missing key is reported by its object; the field's own schema then says
 * what it must be.
 */
export function describeIssue(
  schema: v.GenericSchema,
  issues: readonly [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]],
): IssueDescription {
  const issue = issues[0];
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const field = keys.join(".");
  if (issue.type === "object" && issue.input === undefined && keys.length > 0) {
    const entry = fieldSchema(schema, keys);
    const again = entry ? v.safeParse(entry, undefined, PARSE_CONFIG) : undefined;
    if (again && !again.success) return { field, must: mustOf(again.issues[0]) };
  }
  return { field, must: mustOf(issue) };
}
