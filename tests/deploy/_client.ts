/**
 * Test helper: HTTP(S) requests from a chosen loopback address (`127.0.0.2`
 * and `127.0.0.3` are different clients to a proxy), trusting a test CA, as
 * `fetch` can do neither. Browser-style: every request carries an `Origin`.
 *
 * @module
 */
import http from "node:http";
import https from "node:https";
import type { Json } from "../_helpers/server.ts";

/** How to send one request. */
export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** A CA's PEM to trust for `https:`. */
  ca?: string;
  /** The loopback address to connect from. */
  localAddress?: string;
}

/** A response with its body parsed as JSON (`undefined` when empty). */
export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

/** Sends a request and reads the whole response. */
export function request(url: string, options: RequestOptions = {}): Promise<JsonResponse> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { "content-type": "application/json" }),
    ...options.headers,
  };
  const target = new URL(url);
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      ca: options.ca,
      localAddress: options.localAddress,
      agent: false,
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        try {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          });
        } catch {
          reject(
            new Error(`${url} answered ${res.statusCode} with no JSON: ${text.slice(0, 200)}`),
          );
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A browser-like client: one source address, one page origin, one trusted CA. */
export interface Browser {
  post(path: string, json: unknown, headers?: Record<string, string>): Promise<JsonResponse>;
  get(path: string): Promise<JsonResponse>;
  /** Signs up (201) and logs in (200); throws on anything else. */
  signIn(username: string, secret?: string): Promise<{ token: string; user: { id: number } }>;
}

/** A client at `localAddress` talking to `base` from a page at `base`. */
export function browser(base: string, options: { ca: string; localAddress: string }): Browser {
  const common = { ca: options.ca, localAddress: options.localAddress };
  const origin = { origin: base };
  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    request(`${base}${path}`, { ...common, json, headers: { ...origin, ...headers } });
  return {
    post,
    get: (path) => request(`${base}${path}`, { ...common, headers: origin }),
    async signIn(username, secret = "correct horse") {
      const created = await post("/api/v1/users", { username, secret });
      if (created.status !== 201) throw new Error(`sign-up: ${JSON.stringify(created.body)}`);
      const login = await post("/api/v1/login", { username, secret });
      if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.body)}`);
      return login.body.data;
    },
  };
}
