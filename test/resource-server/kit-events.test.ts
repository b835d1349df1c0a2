import { createVerifier, koaBearerAuth } from '../../src/resource-server/index.ts';
import type { LoggerLike } from '../../src/resource-server/index.ts';
import { startKoaApp } from './support/protected-apps.ts';
import { makeKey, startTestIssuer } from './support/test-issuer.ts';

test('a pino-like logger gets key-set problems as warn and the rest as info, the event name as message, never a token', async () => {
  const key = await makeKey('ES256');
  const issuer = await startTestIssuer([key]);
  const lines: [string, object, string | undefined][] = [];
  const logger: LoggerLike = {
    info: (object, message) => lines.push(['info', object, message]),
    warn: (object, message) => lines.push(['warn', object, message]),
  };
  const app = await startKoaApp({ verifier: createVerifier({ authority: issuer.url, logger }), logger });
  try {
    issuer.jwksStatus = 503;
    const token = await issuer.sign(key);
    expect((await fetch(`${app.url}/orders`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(503);
    expect(lines).toEqual([
      ['warn', { event: 'jwks.fetch_failed', uri: `${issuer.url}/jwks`, detail: `${issuer.url}/jwks answered HTTP 503` }, 'jwks.fetch_failed'],
      [
        'info',
        {
          event: 'token.rejected',
          reason: 'jwks_unavailable',
          status: 503,
          detail: `no keys from ${issuer.url}/jwks yet: ${issuer.url}/jwks answered HTTP 503`,
        },
        'token.rejected',
      ],
    ]);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]);
  } finally {
    await Promise.all([app.close(), issuer.close()]);
  }
});

test('middleware options are checked when the middleware is made', () => {
  const verifier = createVerifier({ authority: 'https://id.example.com' });
  expect(() => koaBearerAuth({ verifier, scope: ['api:read', 'say "hi"'], realm: 'a\\b' })).toThrow(
    expect.objectContaining({
      code: 'ERR_TESSERA_RESOURCE_SERVER_CONFIG',
      problems: [
        'scope: scope tokens are printable ASCII without spaces, quotes or backslashes',
        'realm: must be printable ASCII without quotes or backslashes',
      ],
    }),
  );
  expect(() => koaBearerAuth({ verifier: {} as never })).toThrow(
    expect.objectContaining({
      problems: ['verifier: must be a verifier from createVerifier()'],
    }),
  );
});
