/**
 * The descriptions of the routes outside the REST API proper: health,
 * metrics, and the OpenAPI document itself (raw and in the envelope).
 *
 * @module
 */
import type { DescribeRouteOptions } from "hono-openapi";
import * as v from "valibot";
import { failure, INTERNAL, JSON_MEDIA, ok } from "./responses.ts";

/** What `/healthz` answers while the store answers. */
export const Health = v.strictObject({ status: v.literal("ok") });

/** `GET /healthz`. */
export const HEALTHZ: DescribeRouteOptions = {
  tags: ["operations"],
  summary: "Whether the store answers",
  responses: {
    "200": ok("The store answers", Health),
    "500": INTERNAL,
    "503": failure("The store does not answer", ["STORE_UNAVAILABLE"]),
  },
};

/** `GET /livez`. */
export const LIVEZ: DescribeRouteOptions = {
  tags: ["operations"],
  summary: "Liveness: the process serves (a store outage does not fail it)",
  responses: { "200": ok("The process serves", Health) },
};

/** `GET /readyz`. */
export const READYZ: DescribeRouteOptions = {
  tags: ["operations"],
  summary: "Readiness: the store answers and sockets are accepted",
  responses: {
    "200": ok("Ready for traffic", Health),
    "500": INTERNAL,
    "503": failure("Shutting down (with Retry-After), or the store does not answer", [
      "SHUTTING_DOWN",
      "STORE_UNAVAILABLE",
    ]),
  },
};

/** `GET /metrics`. */
export const METRICS: DescribeRouteOptions = {
  tags: ["operations"],
  summary: "Prometheus metrics: connections, rooms, messages, close codes, HTTP requests",
  responses: {
    "200": {
      description: "Prometheus text exposition format",
      content: { "text/plain": { schema: { type: "string" } } },
    },
  },
};

/** `GET /openapi.json`: the document itself, for Swagger UI, Redoc and openapi-generator. */
export const OPENAPI_RAW: DescribeRouteOptions = {
  tags: ["meta"],
  summary: "This document, as it is (no envelope)",
  responses: {
    "200": {
      description: "The OpenAPI 3.1 document",
      content: {
        [JSON_MEDIA]: {
          schema: {
            type: "object",
            required: ["openapi", "paths"],
            properties: { openapi: { const: "3.1.0" }, paths: { type: "object" } },
          },
        },
      },
    },
    "500": INTERNAL,
  },
};

/** `GET /api/v1/openapi.json`: the document in the envelope, like every `/api/` answer. */
export const OPENAPI_ENVELOPED: DescribeRouteOptions = {
  tags: ["meta"],
  summary: "This document, as the envelope's data",
  responses: {
    "200": ok(
      "The OpenAPI document, as `data`",
      v.looseObject({ openapi: v.literal("3.1.0"), paths: v.record(v.string(), v.unknown()) }),
    ),
    "500": INTERNAL,
  },
};
