/** A request as it left the client, recorded by `createPrismFetch`. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** Body text, or undefined when the request had no body. */
  body: string | undefined;
}

/** Options of `createPrismFetch`. */
export interface PrismFetchOptions {
  /**
   * Value of the `Prefer` header that picks Prism's response, such as `code=409` or
   * `code=409, example=deviceNotReady`. Prism matches `example=` only among the examples of
   * the response it picked, so an example of an error response also needs its `code=`.
   */
  prefer?: string;
  /** Removes the `Authorization` header, so Prism's security check rejects the request. */
  stripAuthorization?: boolean;
}

/** A fetch function for the client, and the requests it has sent. */
export interface PrismFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
}

/**
 * Creates a fetch function that sends requests only to `baseUrl` (the Prism mock), adds
 * the `Prefer` header and records every request.
 */
export function createPrismFetch(baseUrl: string, options: PrismFetchOptions = {}): PrismFetch {
  const allowedOrigin = new URL(baseUrl).origin;
  const requests: RecordedRequest[] = [];

  const prismFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== allowedOrigin) {
      throw new Error(`Test fetch rejected a request to ${url.origin} because only the Prism mock at ${allowedOrigin} may be called.`);
    }

    if (options.prefer !== undefined) request.headers.set('Prefer', options.prefer);
    if (options.stripAuthorization === true) request.headers.delete('Authorization');

    requests.push({
      method: request.method,
      url,
      headers: new Headers(request.headers),
      body: request.body === null ? undefined : await request.clone().text(),
    });
    return fetch(request);
  };

  return { fetch: prismFetch, requests };
}
