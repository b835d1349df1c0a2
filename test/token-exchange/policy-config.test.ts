import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/load-config.ts';
import { tempDir } from '../support/tessera.ts';
import { TOKEN_EXCHANGE } from './support/exchange-fixture.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const RESOURCE_SERVERS = [{ indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'] }];
const service = (extra: Record<string, unknown>) => ({
  client_id: 'orders-service',
  client_secret: SECRET,
  redirect_uris: [],
  response_types: [],
  grant_types: ['client_credentials', TOKEN_EXCHANGE],
  ...extra,
});

function load(clients: unknown[]): Config {
  const path = join(tempDir(), 'tessera.json');
  writeFileSync(path, JSON.stringify({ clients, resourceServers: RESOURCE_SERVERS }));
  return loadConfig({ CONFIG_FILE: path });
}

/** Loading fails with exactly these problems. */
function expectProblems(clients: unknown[], problems: string[]): void {
  expect(() => load(clients)).toThrow(expect.objectContaining({ name: 'ConfigError', problems }));
}

test('a policy is read with its defaults; scopes may be a string or a list', () => {
  const config = load([
    service({
      token_exchange: { targets: [{ audience: 'payments', scope: 'payments' }] },
      embed: [{ claim: 'payments_token', audience: 'payments', scope: ['payments'], ttl: 60 }],
    }),
  ]);
  expect(config.clients[0]!.token_exchange).toEqual({ delegation: true, targets: [{ audience: 'payments', scope: ['payments'] }] });
  expect(config.clients[0]!.embed).toEqual([{ claim: 'payments_token', audience: 'payments', scope: ['payments'], ttl: 60 }]);
});

test('every problem of a policy is named at once', () => {
  expectProblems(
    [
      service({
        token_exchange: {
          targets: [
            { audience: 'payment', scope: 'payments' },
            { audience: 'payments', scope: 'refunds' },
          ],
          delegation: 'yes',
        },
      }),
    ],
    [
      'clients (CONFIG_FILE)[0].token_exchange.delegation: must be true or false',
      'clients (CONFIG_FILE)[0].token_exchange.targets[0].audience: payment is not the audience of a resource server (known: resource_server, payments)',
      'clients (CONFIG_FILE)[0].token_exchange.targets[1].scope: refunds not among the scopes of payments (payments)',
    ],
  );
  expectProblems(
    [
      service({
        token_exchange: {
          targets: [
            { audience: 'payment', scope: 'payments' },
            { audience: 'payments', scope: 'refunds' },
          ],
        },
        embed: [{ claim: 'scope', audience: 'payments', scope: 'payments', ttl: 60 }],
      }),
    ],
    [
      'clients (CONFIG_FILE)[0].embed[0].claim: must not be one of iss, sub, aud, exp, nbf, iat, jti, scope, client_id, act, may_act, cnf, auth_time, acr, amr, authorization_details',
      'clients (CONFIG_FILE)[0].token_exchange.targets[0].audience: payment is not the audience of a resource server (known: resource_server, payments)',
      'clients (CONFIG_FILE)[0].token_exchange.targets[1].scope: refunds not among the scopes of payments (payments)',
    ],
  );
  expectProblems(
    [
      service({
        token_exchange: {
          targets: [
            { audience: 'payment', scope: 'payments' },
            { audience: 'payments', scope: 'refunds' },
          ],
        },
        embed: [{ claim: 'geo_token', audience: 'geo', scope: 'geo:read', ttl: 60 }],
      }),
    ],
    [
      'clients (CONFIG_FILE)[0].token_exchange.targets[0].audience: payment is not the audience of a resource server (known: resource_server, payments)',
      'clients (CONFIG_FILE)[0].token_exchange.targets[1].scope: refunds not among the scopes of payments (payments)',
      'clients (CONFIG_FILE)[0].embed[0].audience: geo is not the audience of a resource server (known: resource_server, payments)',
    ],
  );
});

test('the grant and the policy go together', () => {
  expectProblems([service({})], [`clients (CONFIG_FILE)[0].token_exchange: is required for the ${TOKEN_EXCHANGE} grant`]);
  expectProblems(
    [service({ grant_types: ['client_credentials'], token_exchange: { targets: [{ audience: 'payments', scope: 'payments' }] } })],
    [`clients (CONFIG_FILE)[0].grant_types: must include ${TOKEN_EXCHANGE} for token_exchange`],
  );
});

test('actors: client_ids, not the client itself, not with delegation false', () => {
  const targets = [{ audience: 'payments', scope: 'payments' }];
  expect(load([service({ token_exchange: { targets, actors: ['batch-service'] } })]).clients[0]!.token_exchange).toEqual({
    delegation: true,
    targets: [{ audience: 'payments', scope: ['payments'] }],
    actors: ['batch-service'],
  });
  expectProblems([service({ token_exchange: { targets, actors: [] } })], ['clients (CONFIG_FILE)[0].token_exchange.actors: must name at least one client']);
  expectProblems(
    [service({ token_exchange: { targets, actors: ['batch-service', ''] } })],
    ['clients (CONFIG_FILE)[0].token_exchange.actors[1]: must be a client_id'],
  );
  expectProblems(
    [service({ token_exchange: { targets, delegation: false, actors: ['batch-service'] } })],
    ['clients (CONFIG_FILE)[0].token_exchange.actors: must not be given with delegation false (a client that impersonates names no actor)'],
  );
  expectProblems(
    [service({ token_exchange: { targets, actors: ['batch-service', 'orders-service'] } })],
    ['clients (CONFIG_FILE)[0].token_exchange.actors: must not name the client itself (orders-service): its own tokens are always accepted'],
  );
});
