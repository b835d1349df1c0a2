import { decodeJwt } from 'jose';
import { Redis } from 'ioredis';

import {
  addUsers,
  expectAccepted,
  introspect,
  serviceToken,
  startFleet,
  startResourceServers,
  tesseraAsync,
  untilRefused,
  userTokens,
} from './support/fleet.ts';
import type { Fleet, ResourceServers } from './support/fleet.ts';

let fleet: Fleet;
let servers: ResourceServers;

beforeAll(async () => {
  fleet = await startFleet();
  addUsers(fleet, 'alice', 'bob', 'carol', 'dave', 'erin');
  servers = await startResourceServers(fleet, { from: fleet.b });
});

afterAll(async () => {
  await servers?.close();
  await fleet?.stop();
});

const cli = (...args: string[]) => tesseraAsync(fleet, ...args);

/** Each test runs several CLI processes and sign-ins: room for a machine busy with other tests. */
const SLOW = 90_000;

async function tokenWith(clientId: string, secret: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${fleet.a.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=api%3Aread',
  });
  const body = (await response.json()) as { access_token?: string };
  return { status: response.status, ...(body.access_token ? { token: body.access_token } : {}) };
}

async function addService(clientId: string): Promise<string> {
  const added = await cli('clients', 'add', clientId, '--grant-types', 'client_credentials', '--scope', 'api:read');
  expect(added.code).toBe(0);
  return /client_secret: ([\w-]{43})\n/.exec(added.stdout)![1]!;
}

test(
  'tessera users disable: every token of the user is refused by both resource servers; other users pass; after enable, new tokens pass',
  async () => {
    const alice = await userTokens(fleet, fleet.a, 'alice');
    const aliceOther = await userTokens(fleet, fleet.a, 'alice', 'other-app');
    const bob = await userTokens(fleet, fleet.a, 'bob');
    expect(await cli('users', 'disable', 'alice')).toEqual({ code: 0, stdout: 'disabled user alice; every access token of the user is revoked\n', stderr: '' });
    await untilRefused(servers, [alice.access_token, aliceOther.access_token]);
    await expectAccepted(servers, [bob.access_token]);
    expect(await introspect(fleet.b, 'webapp', alice.access_token)).toBe(false);
    expect(await introspect(fleet.b, 'webapp', bob.access_token)).toBe(true);
    expect((await cli('users', 'enable', 'alice')).code).toBe(0);
    const again = await userTokens(fleet, fleet.a, 'alice');
    await expectAccepted(servers, [again.access_token]);
  },
  SLOW,
);

test(
  'tessera users delete: every token of the user is refused; other users pass',
  async () => {
    const carol = await userTokens(fleet, fleet.a, 'carol');
    const dave = await userTokens(fleet, fleet.a, 'dave');
    expect(await cli('users', 'delete', 'carol')).toEqual({ code: 0, stdout: 'deleted user carol; every access token of the user is revoked\n', stderr: '' });
    await untilRefused(servers, [carol.access_token]);
    await expectAccepted(servers, [dave.access_token]);
  },
  SLOW,
);

test(
  'tessera clients remove and reset-secret: every token the client holds is refused; other clients pass; a token got with the new secret passes',
  async () => {
    const removedSecret = await addService('removed-svc');
    const resetSecret = await addService('reset-svc');
    const removed = (await tokenWith('removed-svc', removedSecret)).token!;
    const reset = (await tokenWith('reset-svc', resetSecret)).token!;
    const other = await serviceToken(fleet.a, 'billing');
    await expectAccepted(servers, [removed, reset, other]);

    expect(await cli('clients', 'remove', 'removed-svc')).toEqual({
      code: 0,
      stdout: 'removed client removed-svc; every access token it holds is revoked\n',
      stderr: '',
    });
    const answer = await cli('clients', 'reset-secret', 'reset-svc');
    expect(answer.code).toBe(0);
    const newSecret = /client_secret: ([\w-]{43})\n/.exec(answer.stdout)![1]!;
    await untilRefused(servers, [removed, reset]);
    await expectAccepted(servers, [other]);
    expect(await introspect(fleet.b, 'billing', other)).toBe(true);
    expect((await tokenWith('reset-svc', resetSecret)).status).toBe(401);
    const fresh = await tokenWith('reset-svc', newSecret);
    expect(fresh.status).toBe(200);
    await expectAccepted(servers, [fresh.token!]);
  },
  SLOW,
);

test(
  'tessera revoke --grant ends the grant, its refresh token too',
  async () => {
    const erin = await userTokens(fleet, fleet.a, 'erin');
    const erinOther = await userTokens(fleet, fleet.a, 'erin', 'other-app');
    const redis = new Redis(fleet.a.redisEnv!.REDIS_URL);
    const prefix = fleet.a.redisEnv!.REDIS_KEY_PREFIX;
    let grantId: string | undefined;
    try {
      for (const key of await redis.keys(`${prefix}{g:*}:Grant`)) {
        const grant = JSON.parse((await redis.get(key))!) as { accountId: string; clientId: string; jti: string };
        if (grant.accountId === decodeJwt(erin.access_token).sub && grant.clientId === 'webapp') grantId = grant.jti;
      }
    } finally {
      redis.disconnect();
    }
    expect(await cli('revoke', '--grant', grantId!)).toEqual({
      code: 0,
      stdout: `revoked grant ${grantId}: its refresh tokens are deleted and its access tokens revoked\n`,
      stderr: '',
    });
    await untilRefused(servers, [erin.access_token]);
    await expectAccepted(servers, [erinOther.access_token]);
    const refresh = await fetch(`${fleet.b.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('webapp:webapp-secret-0123456789abcdefghijklmnop').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: erin.refresh_token }),
    });
    expect(refresh.status).toBe(400);
  },
  SLOW,
);

test(
  'tessera revoke --sub, --client and --jti end exactly their tokens',
  async () => {
    const bySub = await serviceToken(fleet.a, 'orders');
    const byJti = await serviceToken(fleet.a, 'billing');
    const sameClientAsJti = await serviceToken(fleet.a, 'billing');
    const bob = await userTokens(fleet, fleet.a, 'bob', 'other-app');
    const byClient = await userTokens(fleet, fleet.a, 'dave', 'other-app');
    const daveWebapp = await userTokens(fleet, fleet.a, 'dave', 'webapp');
    expect((await cli('revoke', '--sub', 'orders')).stdout).toBe('revoked every access token of subject orders issued until now\n');
    expect((await cli('revoke', '--jti', decodeJwt(byJti).jti!)).stdout).toBe(`revoked the access token ${decodeJwt(byJti).jti}\n`);
    await untilRefused(servers, [bySub, byJti]);
    await expectAccepted(servers, [sameClientAsJti, bob.access_token, byClient.access_token]);
    expect((await cli('revoke', '--client', 'other-app')).stdout).toBe('revoked every access token held by or of client other-app issued until now\n');
    await untilRefused(servers, [bob.access_token, byClient.access_token]);
    await expectAccepted(servers, [daveWebapp.access_token, sameClientAsJti]);
  },
  SLOW,
);

test('tessera revoke refuses unclear requests with its usage', async () => {
  expect(await cli('revoke')).toMatchObject({ code: 2, stderr: expect.stringContaining('tessera: say what to revoke\nusage: tessera revoke') });
  expect(await cli('revoke', '--sub', 'a', '--jti', 'b')).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('tessera: give one of --sub, --jti, not several'),
  });
});
