import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { decodeJwt } from 'jose';

import { startTessera, tempDir } from '../support/tessera.ts';
import { tesseraCli } from '../support/tessera-cli.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE } from './support/exchange-fixture.ts';

const SECRET = 'web-shop-secret-0123456789abcdefghijkl';
let tessera: TesseraProcess;
const CONFIG = {
  clients: [
    { client_id: 'web-shop', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'orders payments' },
  ],
  resourceServers: [
    { indicator: 'https://orders.example.com', audience: 'orders', scopes: ['orders', 'payments'] },
    { indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'] },
  ],
};
// The operator's CLI reads the fleet's CONFIG_FILE too: it checks policies against its resource servers.
const configFile = join(tempDir(), 'tessera.json');

beforeAll(async () => {
  writeFileSync(configFile, JSON.stringify(CONFIG));
  tessera = await startTessera({ configFile: CONFIG });
});

afterAll(async () => {
  await tessera.stop();
});

const clients = (...args: string[]) => tesseraCli({ ...tessera.redisEnv!, CONFIG_FILE: configFile } as typeof tessera.redisEnv & {}, 'clients', ...args);

async function token(id: string, secret: string, body: Record<string, string>) {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

test('a client added with the CLI and a token_exchange policy exchanges tokens at once', async () => {
  const added = clients('add', 'order-worker', '--grant-types', TOKEN_EXCHANGE, '--token-exchange', '{"targets":[{"audience":"payments","scope":"payments"}]}');
  expect(added.code).toBe(0);
  const secret = /client_secret: ([\w-]{43})\n/.exec(added.stdout)![1]!;
  expect(JSON.parse(clients('show', 'order-worker').stdout)).toMatchObject({
    grant_types: [TOKEN_EXCHANGE],
    token_exchange: { delegation: true, targets: [{ audience: 'payments', scope: ['payments'] }] },
  });

  const subject = (await token('web-shop', SECRET, { grant_type: 'client_credentials', resource: 'https://orders.example.com', scope: 'orders payments' })).body
    .access_token!;
  const exchanged = await token('order-worker', secret, {
    grant_type: TOKEN_EXCHANGE,
    subject_token: subject,
    subject_token_type: ACCESS_TOKEN_TYPE,
    audience: 'payments',
  });
  expect(exchanged.status).toBe(200);
  expect(decodeJwt(exchanged.body.access_token!)).toMatchObject({ aud: 'payments', sub: 'web-shop', scope: 'payments', act: { sub: 'order-worker' } });
  clients('remove', 'order-worker');
});

test('a CLI policy may name actors: their own tokens are accepted as actor_token, others refused', async () => {
  const added = clients(
    'add',
    'order-relay',
    '--grant-types',
    TOKEN_EXCHANGE,
    '--token-exchange',
    '{"targets":[{"audience":"payments","scope":"payments"}],"actors":["web-shop"]}',
  );
  expect(added.code).toBe(0);
  const secret = /client_secret: ([\w-]{43})\n/.exec(added.stdout)![1]!;
  expect(JSON.parse(clients('show', 'order-relay').stdout)).toMatchObject({ token_exchange: { actors: ['web-shop'] } });

  const subject = (await token('web-shop', SECRET, { grant_type: 'client_credentials', resource: 'https://orders.example.com', scope: 'orders payments' })).body
    .access_token!;
  const exchange = (actor: string) =>
    token('order-relay', secret, {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN_TYPE,
      audience: 'payments',
      actor_token: actor,
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
  const exchanged = await exchange(subject);
  expect(exchanged.status).toBe(200);
  expect(decodeJwt(exchanged.body.access_token!)).toMatchObject({ sub: 'web-shop', client_id: 'order-relay', act: { sub: 'web-shop' } });
  // The token just issued is the relay's, but for web-shop (sub): not the relay's own.
  expect(await exchange(exchanged.body.access_token!)).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: "the actor_token must be this client's own token or that of an actor its token_exchange policy names" },
  });
  clients('remove', 'order-relay');
});

test('a policy that is not JSON, or not valid, is refused and nothing is stored', () => {
  const notJson = clients('add', 'w1', '--grant-types', TOKEN_EXCHANGE, '--token-exchange', '{targets');
  expect(notJson.code).toBe(2);
  expect(notJson.stderr.startsWith('tessera: --token-exchange must be JSON')).toBe(true);
  expect(clients('add', 'w2', '--grant-types', TOKEN_EXCHANGE, '--token-exchange', '{"targets":[]}')).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tessera: invalid client: token_exchange.targets: must name at least one target\n',
  });
  expect(clients('add', 'w3', '--grant-types', TOKEN_EXCHANGE)).toEqual({
    code: 1,
    stdout: '',
    stderr: `tessera: invalid client: token_exchange: is required for the ${TOKEN_EXCHANGE} grant\n`,
  });
  expect(
    clients(
      'add',
      'w4',
      '--grant-types',
      TOKEN_EXCHANGE,
      '--token-exchange',
      '{"targets":[{"audience":"payments","scope":"payments"}],"delegation":false,"actors":["web-shop"]}',
    ),
  ).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tessera: invalid client: token_exchange.actors: must not be given with delegation false (a client that impersonates names no actor)\n',
  });
  expect(
    clients('add', 'w5', '--grant-types', TOKEN_EXCHANGE, '--token-exchange', '{"targets":[{"audience":"payments","scope":"payments"}],"actors":["w5"]}'),
  ).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tessera: invalid client: token_exchange.actors: must not name the client itself (w5): its own tokens are always accepted\n',
  });
  expect(clients('list')).toEqual({ code: 0, stdout: '', stderr: '' });
});
