/** The `fetch` the kit calls; the global one by default. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * GETs a JSON object: 200 only, no redirects, aborted after `timeout` ms; `onHeaders` sees the response headers.
 *
 * @example
 * ```ts
 * const metadata = await fetchJson(fetch, 'https://id.example.com/.well-known/openid-configuration', 5000);
 * ```
 */
export async function fetchJson(fetchFn: FetchLike, url: string, timeout: number, onHeaders?: (headers: Headers) => void): Promise<Record<string, unknown>> {
  const response = await fetchFn(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeout) });
  onHeaders?.(response.headers);
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`${url} answered HTTP ${response.status}`);
  }
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`${url} did not answer a JSON object`);
  return body as Record<string, unknown>;
}
