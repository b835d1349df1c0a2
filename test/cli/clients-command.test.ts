import { startTessera } from '../support/tessera.ts';
import { tesseraCli } from '../support/tessera-cli.ts';
import type { TesseraProcess } from '../support/tessera.ts';

let tessera: TesseraProcess;

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [
        {
          client_id: 'static-svc',
          client_secret: 'static-secret-0123456789abcdefghijkl',
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
        },
      ],
    },
  });
});

afterAll(async () => {
  await tessera.stop();
});

const clients = (...args: string[]) => tesseraCli(tessera.redisEnv!, 'clients', ...args);

async function clientCredentials(id: string, secret: string) {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=api%3Aread',
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

test('add prints a generated secret once; the running servers accept the client at once; remove takes it away', async () => {
  const added = clients('add', 'billing', '--name', 'Billing', '--grant-types', 'client_credentials', '--scope', 'api:read');
  expect(added.code).toBe(0);
  const secret = /client_secret: ([\w-]{43})\n/.exec(added.stdout)?.[1];
  expect(added.stdout).toBe(`added client billing\nclient_secret: ${secret}\n(shown once: store it now)\n`);
  expect((await clientCredentials('billing', secret!)).status).toBe(200);
  expect(clients('list')).toEqual({ code: 0, stdout: 'billing\n', stderr: '' });
  const shown = clients('show', 'billing');
  expect(JSON.parse(shown.stdout)).toEqual({
    client_id: 'billing',
    client_name: 'Billing',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'api:read',
    token_endpoint_auth_method: 'client_secret_basic',
  });
  expect(shown.stdout).not.toContain(secret);
  expect(clients('remove', 'billing')).toEqual({ code: 0, stdout: 'removed client billing; every access token it holds is revoked\n', stderr: '' });
  expect(await clientCredentials('billing', secret!)).toEqual({
    status: 401,
    body: { error: 'invalid_client', error_description: 'client authentication failed' },
  });
  expect(clients('remove', 'billing')).toEqual({ code: 1, stdout: '', stderr: 'tessera: no client billing in Redis\n' });
});

test('bad arguments and invalid metadata exit non-zero and write nothing', () => {
  const usage = clients('add');
  expect(usage.code).toBe(2);
  expect(usage.stderr.startsWith('tessera: missing <client_id>\nusage: tessera clients add <client_id>')).toBe(true);
  expect(clients('add', 'x', '--colour', 'red').stderr.startsWith('tessera: unknown option --colour\n')).toBe(true);
  expect(clients('add', 'webapp', '--redirect-uris', '/relative')).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tessera: invalid client: redirect_uris.0: must be an absolute URL without a fragment\n',
  });
  expect(clients('add', 'svc', '--grant-types', 'password')).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'tessera: invalid client: grant_types.0: must be one of authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange\n',
  });
  expect(clients('list')).toEqual({ code: 0, stdout: '', stderr: '' });
});

test('a public browser client gets no secret; an id already in use is refused', () => {
  expect(clients('add', 'spa', '--public', '--redirect-uris', 'https://spa.example.com/cb')).toEqual({
    code: 0,
    stdout: 'added client spa\npublic client (PKCE, no secret)\n',
    stderr: '',
  });
  expect(clients('add', 'spa', '--public', '--redirect-uris', 'https://spa.example.com/cb')).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tessera: invalid client: client_id: spa already exists\n',
  });
  clients('remove', 'spa');
});

test('--pkce-optional lets a confidential client leave out PKCE (pkce_required false); a public client is refused', () => {
  const added = clients('add', 'legacy', '--redirect-uris', 'https://legacy.example.com/cb', '--pkce-optional');
  expect(added.code).toBe(0);
  expect(JSON.parse(clients('show', 'legacy').stdout)).toMatchObject({
    client_id: 'legacy',
    pkce_required: false,
    token_endpoint_auth_method: 'client_secret_basic',
  });
  expect(clients('add', 'spa', '--public', '--pkce-optional', '--redirect-uris', 'https://spa.example.com/cb')).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'tessera: invalid client: pkce_required: may be false only for a confidential client: a public client (token_endpoint_auth_method none) always uses PKCE\n',
  });
  clients('remove', 'legacy');
  expect(clients('list')).toEqual({ code: 0, stdout: '', stderr: '' });
});

test('a client added with the CLI gets the audience and scope checks of CONFIG_FILE clients', () => {
  expect(
    clients(
      'add',
      'exchanger',
      '--grant-types',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      '--token-exchange',
      '{"targets":[{"audience":"payments","scope":"payments"},{"audience":"resource_server","scope":"api:read admin"}]}',
    ),
  ).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'tessera: invalid client: token_exchange.targets[0].audience: payments is not the audience of a resource server (known: resource_server); ' +
      'token_exchange.targets[1].scope: admin not among the scopes of resource_server (api:read, api:write)\n',
  });
  expect(clients('list')).toEqual({ code: 0, stdout: '', stderr: '' });
});
