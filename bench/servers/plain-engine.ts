// Baseline: a bare oidc-provider 9 server with the same client, resource server and key as
// Tessera's benchmark, on the engine's own in-memory adapter; nothing else in front of it.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';

import { Provider } from 'oidc-provider';
import type { JWK } from 'jose';

const [port, keyPath, alg] = [Number(process.env.PORT), process.env.KEY_PATH!, process.env.ALG as 'ES256' | 'RS256'];
const jwk = createPrivateKey(readFileSync(keyPath)).export({ format: 'jwk' }) as JWK;
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench',
      client_secret: 'bench-secret-0123456789abcdefghijkl',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'api:read api:write',
    },
  ],
  clientDefaults: { id_token_signed_response_alg: alg },
  jwks: { keys: [{ ...jwk, use: 'sig', alg } as never] },
  scopes: ['openid', 'offline_access', 'api:read', 'api:write'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => 'urn:tessera:resource_server',
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: 'api:read api:write',
        audience: 'resource_server',
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg } },
      }),
    },
  },
});
process.on('SIGINT', () => process.exit(0));
provider.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
