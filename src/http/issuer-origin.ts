import type Koa from 'koa';

/**
 * Makes every request of `app` see the issuer's origin as its own: `ctx.protocol`, `ctx.secure`,
 * `ctx.host`, `ctx.hostname`, `ctx.origin`, `ctx.href` and `ctx.URL` come from `issuer`, never from the
 * `Host` header, an absolute-form request target, or `X-Forwarded-Host`/`-Proto`. The engine
 * builds its URLs (discovery, redirects, form actions) from `ctx.href`, so this is what keeps a
 * forged `Host` out of every URL Tessera emits. The client address (`ctx.ip`) is untouched.
 *
 * The getters are defined once on the application's request prototype: no cost per request.
 *
 * @example
 * ```ts
 * const app = new Koa();
 * pinIssuerOrigin(app, 'https://id.example.com');
 * ```
 */
export function pinIssuerOrigin(app: Koa, issuer: string): void {
  const { protocol: scheme, host, hostname } = new URL(issuer);
  const protocol = scheme.slice(0, -1);
  const origin = `${protocol}://${host}`;
  Object.defineProperties(app.request, {
    protocol: { get: () => protocol, configurable: true },
    secure: { get: () => protocol === 'https', configurable: true },
    host: { get: () => host, configurable: true },
    hostname: { get: () => hostname, configurable: true },
    origin: { get: () => origin, configurable: true },
    href: {
      get(this: Koa.Request) {
        return origin + pathAndQuery(this.originalUrl);
      },
      configurable: true,
    },
    URL: {
      get(this: Koa.Request) {
        return new URL(this.href);
      },
      configurable: true,
    },
  });
}

/** The path and query of a request target: origin-form as is; of an absolute-form target, its own. */
function pathAndQuery(target: string): string {
  if (target.startsWith('/')) return target;
  const parsed = URL.parse(target);
  return parsed ? `${parsed.pathname}${parsed.search}` : '/';
}
