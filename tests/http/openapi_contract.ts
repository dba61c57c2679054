/**
 * Test helper: holds real responses against the OpenAPI document the app
 * generates. Every response is matched to its path template, method and
 * status; a status the operation does not list, a body its JSON Schema
 * refuses, a wrong media type or a missing required header is a violation.
 * An unknown `/api/` path must be the 404 `NOT_FOUND` envelope, a known path
 * with another method the 405 `METHOD_NOT_ALLOWED` one with `Allow`. CORS
 * preflights (`OPTIONS`) and paths outside `/api/` that the document does not
 * name (the web page) are not held to it.
 *
 * `startServer` (tests/_helpers/server.ts) and `startTestApp`
 * (tests/http/test_app.ts) run every response through {@linkcode Contract}
 * and fail on close when one broke it.
 *
 * @module
 */
import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import type { Hono } from "hono";
import type { AppEnv } from "../../src/http/env.ts";
import {
  buildOpenApiDocument,
  type JsonObject,
  type OpenApiDocument,
} from "../../src/http/openapi.ts";

/** A response as the checker needs it: status, headers and body text (`""` when none). */
export interface SeenResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** An operation of the document, found for a request. */
interface Found {
  readonly template: string;
  readonly method: string;
  readonly operation: JsonObject | undefined;
}

/** A path template as a matcher; templates with fewer parameters are tried first. */
interface Template {
  readonly template: string;
  readonly pattern: RegExp;
  readonly params: number;
}

const API = /^\/api(\/|$)/;

/** The path of a request URL, as sent (percent-encoded), without a query. */
export function pathOf(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  return (path.split(/[?#]/)[0] ?? "") || "/";
}

function mediaType(headers: Headers): string {
  return (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

function describeErrors(errors: OutputUnit[]): string {
  // The deepest errors say what is wrong; the outer ones only that a subschema failed.
  const leaves = errors.filter((e) => !/^(allOf|anyOf|\$ref|properties|items)$/.test(e.keyword));
  return (leaves.length ? leaves : errors).slice(0, 3)
    .map((e) => `${e.instanceLocation}: ${e.error}`).join("; ");
}

/** Checks responses against one OpenAPI document. */
export class Contract {
  readonly document: OpenApiDocument;
  readonly #templates: Template[];
  readonly #validators = new Map<string, Validator>();
  readonly #errorEnvelope: Validator;

  constructor(document: OpenApiDocument) {
    this.document = document;
    this.#templates = Object.keys(document.paths).map((template) => {
      const parts = template.split(/\{[^}]+\}/);
      const source = parts.map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")).join("[^/]+");
      return { template, pattern: new RegExp(`^${source}$`), params: parts.length - 1 };
    }).sort((a, b) => a.params - b.params);
    this.#errorEnvelope = this.#validator({ $ref: "#/components/schemas/ErrorEnvelope" });
  }

  #validator(schema: JsonObject): Validator {
    const root = { ...schema, components: this.document.components } as Schema;
    return new Validator(JSON.parse(JSON.stringify(root)), "2020-12", false);
  }

  /** The operation a request names, or `undefined` for a path the document does not list. */
  find(method: string, url: string): Found | undefined {
    const path = pathOf(url);
    const match = this.#templates.find((t) => t.pattern.test(path));
    if (!match) return undefined;
    const lower = method === "HEAD" ? "get" : method.toLowerCase();
    return {
      template: match.template,
      method: lower,
      operation: this.document.paths[match.template]?.[lower],
    };
  }

  /** What is wrong with `response` to `method url` (empty: it keeps the contract). */
  check(method: string, url: string, response: SeenResponse): string[] {
    if (method === "OPTIONS") return [];
    const found = this.find(method, url);
    const label = `${method} ${pathOf(url)} -> ${response.status}`;
    if (!found) {
      if (!API.test(pathOf(url))) return [];
      return this.#checkError(label, response, 404, "NOT_FOUND");
    }
    if (!found.operation) {
      const problems = this.#checkError(label, response, 405, "METHOD_NOT_ALLOWED");
      if (!response.headers.has("allow")) problems.push(`${label}: 405 without an Allow header`);
      return problems;
    }
    const where = `${label} (${found.method.toUpperCase()} ${found.template})`;
    const responses = (found.operation.responses ?? {}) as JsonObject;
    const spec = responses[String(response.status)] as JsonObject | undefined;
    if (!spec) return [`${where}: status ${response.status} is not documented`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries((spec.headers ?? {}) as JsonObject)) {
      if ((header as JsonObject).required === true && !response.headers.has(name)) {
        problems.push(`${where}: the required header ${name} is missing`);
      }
    }
    const content = spec.content as JsonObject | undefined;
    if (!content) {
      if (response.body !== "") problems.push(`${where}: a body where none is documented`);
      return problems;
    }
    const type = mediaType(response.headers);
    const media = content[type] as JsonObject | undefined;
    if (!media) {
      problems.push(`${where}: content type "${type}", documented ${Object.keys(content)}`);
      return problems;
    }
    if (method === "HEAD" || type !== "application/json" || !media.schema) return problems;
    const key = `${found.method} ${found.template} ${response.status}`;
    let validator = this.#validators.get(key);
    if (!validator) {
      validator = this.#validator(media.schema as JsonObject);
      this.#validators.set(key, validator);
    }
    return [...problems, ...this.#validate(where, validator, response.body)];
  }

  #checkError(label: string, response: SeenResponse, status: number, type: string): string[] {
    if (response.status !== status) return [`${label}: expected ${status} ${type}`];
    const problems = this.#validate(label, this.#errorEnvelope, response.body);
    if (problems.length === 0 && JSON.parse(response.body).error.type !== type) {
      problems.push(`${label}: error type is not ${type}`);
    }
    return problems;
  }

  #validate(label: string, validator: Validator, body: string): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${label}: the body is not JSON: ${body.slice(0, 80)}`];
    }
    const result = validator.validate(value);
    if (result.valid) return [];
    return [`${label}: ${describeErrors(result.errors)}; body ${body.slice(0, 200)}`];
  }
}

const shared = new Map<string, Promise<Contract>>();

/**
 * The contract of the app's generated document, made once per set of routes
 * (an app with `ADMIN_API_KEY` set serves the server API too).
 */
export function contractOf(hono: Hono<AppEnv>): Promise<Contract> {
  const routes = hono.routes.map((route) => `${route.method} ${route.path}`).join("\n");
  let contract = shared.get(routes);
  if (!contract) {
    contract = buildOpenApiDocument(hono).then((document) => new Contract(document));
    shared.set(routes, contract);
  }
  return contract;
}

/**
 * Reads what the checker needs of `response`, and an equal response to send on
 * in its place: the body is read whole and sent as bytes, so the server still
 * answers with a `Content-Length` (a cloned, streamed body would go chunked).
 */
export async function seen(
  response: Response,
): Promise<{ seen: SeenResponse; response: Response }> {
  if (response.status === 101 || response.body === null) {
    return { seen: { status: response.status, headers: response.headers, body: "" }, response };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const copy = new Response(bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  const body = new TextDecoder().decode(bytes);
  return { seen: { status: response.status, headers: response.headers, body }, response: copy };
}

/**
 * Collects the violations of every response it is shown; {@linkcode assertKept}
 * fails with all of them.
 */
export class ContractLog {
  readonly #contract: Promise<Contract>;
  readonly #pending = new Set<Promise<void>>();
  readonly violations: string[] = [];

  constructor(contract: Promise<Contract>) {
    this.#contract = contract;
  }

  /** Checks `response` to `request`; returns an equal response to send on in its place. */
  async record(request: Request, response: Response): Promise<Response> {
    const read = await seen(response);
    const done = this.#contract.then((contract) => {
      this.violations.push(...contract.check(request.method, request.url, read.seen));
    }).finally(() => this.#pending.delete(done));
    this.#pending.add(done);
    return read.response;
  }

  /** Wraps a `fetch` handler so each of its responses is recorded. */
  wrap<A extends unknown[]>(
    fetch: (request: Request, ...rest: A) => Response | Promise<Response>,
  ): (request: Request, ...rest: A) => Promise<Response> {
    return async (request, ...rest) => this.record(request, await fetch(request, ...rest));
  }

  /** Waits for the checks in flight, then fails when any response broke the contract. */
  async assertKept(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    if (this.violations.length === 0) return;
    throw new Error(
      `${this.violations.length} response(s) break the OpenAPI document:\n` +
        this.violations.map((v) => `  - ${v}`).join("\n"),
    );
  }
}
