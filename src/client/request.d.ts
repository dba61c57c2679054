/**
 * One REST request to the server: the JSON body out, the envelope's `data`
 * back, and every failure mapped once to an {@linkcode ApiError}.
 *
 * @module
 */
/**
 * Sends a request and unwraps its envelope.
 *
 * @param {typeof fetch} fetchFn
 * @param {ApiRequest} request
 * @returns {Promise<unknown>} the envelope's `data`
 * @throws {ApiError} the envelope's error; `NETWORK_ERROR` (status 0) when the
 *   server cannot be reached; `BAD_RESPONSE` when it answers without an envelope
 */
export function requestData(fetchFn: typeof fetch, request: ApiRequest): Promise<unknown>;
/**
 * What {@linkcode requestData} sends.
 */
export type ApiRequest = {
  method: string;
  url: URL;
  /**
   * sent as JSON when given
   */
  body?: unknown;
  /**
   * sent as `Authorization: Bearer`
   */
  token?: string | undefined;
};
