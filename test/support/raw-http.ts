import { request } from 'node:http';

export interface RawRequest {
  readonly method?: string;
  /** Sent as given, `Host` included (fetch would replace it). */
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The request target when it is not the URL's path: e.g. an absolute-form `http://evil.example/jwks`. */
  readonly target?: string;
}

/**
 * One HTTP/1.1 request over node:http, which sends `Host` and the request target exactly as
 * given, answered as a fetch `Response` (redirects not followed), so a CookieJar can read it.
 */
export async function rawFetch(url: string, init: RawRequest = {}): Promise<Response> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: init.method ?? 'GET',
        path: init.target ?? `${pathname}${search}`,
        headers: init.headers,
        setHost: !Object.keys(init.headers ?? {}).some((name) => name.toLowerCase() === 'host'),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
          }
          const status = res.statusCode ?? 0;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
