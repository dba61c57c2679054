// @ts-self-types="../client/request.d.ts"
/**
 * One REST request to the server: the JSON body out, the envelope's `data`
 * back, and every failure mapped once to an {@linkcode ApiError}.
 *
 * @module
 */
import { ApiError } from "../client/errors.js";

/**
 * What {@linkcode requestData} sends.
 * @typedef {object} ApiRequest
 * @property {string} method
 * @property {URL} url
 * @property {unknown} [body] sent as JSON when given
 * @property {string} [token] sent as `Authorization: Bearer`
 */

/**
 * The seconds of a `Retry-After` header, when it holds a positive number.
 *
 * @param {Response} response
 * @returns {number | undefined}
 */
function retryAfterOf(response) {
  const retry = Number(response.headers.get("retry-after"));
  return Number.isFinite(retry) && retry > 0 ? retry : undefined;
}

/**
 * Sends a request and unwraps its envelope.
 *
 * @param {typeof fetch} fetchFn
 * @param {ApiRequest} request
 * @returns {Promise<unknown>} the envelope's `data`
 * @throws {ApiError} the envelope's error; `NETWORK_ERROR` (status 0) when the
 *   server cannot be reached; `BAD_RESPONSE` when it answers without an envelope
 */
export async function requestData(fetchFn, request) {
  const { method, url, body, token } = request;
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  /** @type {Response} */
  let response;
  try {
    response = await fetchFn(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the server", { cause: error });
  }
  const text = await response.text().catch(() => "");
  /** @type {any} */
  let envelope;
  try {
    envelope = text ? JSON.parse(text) : undefined;
  } catch {
    envelope = undefined;
  }
  const retryAfter = retryAfterOf(response);
  if (envelope && typeof envelope === "object" && envelope.error) {
    const { type, message } = envelope.error;
    throw new ApiError(
      response.status,
      typeof type === "string" ? type : "UNKNOWN_ERROR",
      typeof message === "string" ? message : `Request failed with ${response.status}`,
      { retryAfter },
    );
  }
  if (!response.ok || !envelope || typeof envelope !== "object" || !("data" in envelope)) {
    throw new ApiError(
      response.status,
      "BAD_RESPONSE",
      `The server answered ${method} ${url.pathname} with ${response.status} and no envelope`,
      { retryAfter },
    );
  }
  return envelope.data;
}
