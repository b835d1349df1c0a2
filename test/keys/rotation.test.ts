import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { decodeProtectedHeader } from 'jose';

import { createVerifier } from '../../src/resource-server/index.ts';
import { startKoaApp } from '../resource-server/support/protected-apps.ts';
import type { ProtectedApp } from '../resource-server/support/protected-apps.ts';
import { startTessera, tempDir } from '../support/tessera.ts';
import { tesseraCliAsync } from '../support/tessera-cli.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const BASIC = `Basic ${Buffer.from('dev-service:dev-service-secret').toString('base64')}`;
/** Seconds resource servers cache the JWKS, and so the least time a new key is published before it signs. */
const JWKS_MAX_AGE = 5;
/**
 * JWKS_MAX_AGE of a second instance, on which a next key is asked to sign too early: no machine
 * takes an hour between two CLI runs, so the second `rotate` is early however busy it is.
 */
const LONG_MAX_AGE = 3600;
const ENV = { JWKS_MAX_AGE: String(JWKS_MAX_AGE), KEYS_RELOAD_INTERVAL: '0' };
/** Bound of every wait for a reload or a published key: generous, as each check returns as soon as it holds. */
const WAIT_MS = 20_000;

interface Instance {
  readonly tessera: TesseraProcess;
  readonly certs: string;
  readonly env: Record<string, string>;
}

let main: Instance;
let patient: Instance;
const started: Instance[] = [];
let app: ProtectedApp;
let tessera: TesseraProcess;
let certs: string;

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const dir = tempDir('tessera-certs-');
  const instance = { tessera: await startTessera({ env: { ...env, CERTS_DIR: dir } }), certs: dir, env: { ...env, CERTS_DIR: dir } };
  started.push(instance);
  return instance;
}

beforeAll(async () => {
  const starting = await Promise.allSettled([startInstance(ENV), startInstance({ ...ENV, JWKS_MAX_AGE: String(LONG_MAX_AGE) })]);
  [main, patient] = starting.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }) as [Instance, Instance];
  ({ tessera, certs } = main);
  app = await startKoaApp({ verifier: createVerifier({ authority: tessera.url, audience: 'resource_server', cooldown: 1 }) });
});

afterAll(async () => {
  await Promise.all([app?.close(), ...started.map((instance) => instance.tessera.stop())]);
});

/**
 * Runs `tessera keys …`. Asynchronously: while a CLI run takes seconds, the traffic goes on, and
 * the test still sees the server close an idle keep-alive connection (a test blocked in
 * spawnSync would send its next request on the dead socket).
 */
function keysCli(args: string[], instance: Instance = main): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return tesseraCliAsync(instance.env, 'keys', ...args);
}

/** kid → state, from `tessera keys list`, for the ES256 keys. */
async function listedStates(instance: Instance = main): Promise<Record<string, string>> {
  const lines = (await keysCli(['list'], instance)).stdout
    .trim()
    .split('\n')
    .filter((line) => line.includes(' ES256 '));
  return Object.fromEntries(
    lines.map((line) => {
      const [state, kid] = line.split(/\s+/) as [string, string];
      return [kid, state];
    }),
  );
}

/** When the new key that `rotate` published may sign, from its "may sign from" line. */
function signsFrom(stdout: string): number {
  return Date.parse(/^published new key \S+ \(ES256\): may sign from (\S+Z)$/m.exec(stdout)![1]!);
}

async function accessToken(instance: Instance = main): Promise<string> {
  const response = await fetch(`${instance.tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=api:read',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function atResourceServer(token: string): Promise<number> {
  return (await fetch(`${app.url}/orders`, { headers: { authorization: `Bearer ${token}` } })).status;
}

async function publishedKids(instance: Instance = main): Promise<string[]> {
  return ((await (await fetch(`${instance.tessera.url}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await sleep(50)) {
    if (await check()) return;
  }
  if (!(await check())) throw new Error(`timed out after ${WAIT_MS} ms waiting until ${what}`);
}

/** Waits until the instance serves the keys that CERTS_DIR holds: every reload a change set off has run. */
async function servesWhatIsOnDisk(): Promise<void> {
  await eventually(async () => {
    const onDisk = (await keysCli(['list'])).stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[1]!);
    return JSON.stringify([...(await publishedKids())].sort()) === JSON.stringify(onDisk.sort());
  }, 'the keys served are those in CERTS_DIR');
}

test('too early for a next key to sign: a second rotate waits for JWKS_MAX_AGE and signing stays with the active key', async () => {
  const [original] = Object.keys(await listedStates(patient));
  const published = await keysCli(['rotate'], patient);
  expect(published).toMatchObject({ code: 0, stderr: '' });
  const next = Object.entries(await listedStates(patient)).find(([, state]) => state === 'next')![0];
  expect(signsFrom(published.stdout) - Date.now()).toBeGreaterThan((LONG_MAX_AGE - 60) * 1000);
  await eventually(async () => (await publishedKids(patient)).includes(next), 'the next key is published');

  const early = await keysCli(['rotate'], patient);
  expect(early).toMatchObject({ code: 0, stderr: '' });
  expect(early.stdout).toContain(`next key `);
  expect(early.stdout).not.toContain('now signs');
  expect(await listedStates(patient)).toEqual({ [original!]: 'active', [next]: 'next' });
  expect(decodeProtectedHeader(await accessToken(patient)).kid).toBe(original);
});

test('tokens keep verifying through a rotation: no request fails and neither side restarts', async () => {
  const [original] = Object.keys(await listedStates());
  const before = await accessToken();
  expect(decodeProtectedHeader(before).kid).toBe(original);
  expect(await atResourceServer(before)).toBe(200); // the resource server has cached the JWKS

  const results: { kid: string; status: number }[] = [];
  let running = true;
  const traffic = (async () => {
    while (running) {
      const fresh = await accessToken();
      results.push({ kid: decodeProtectedHeader(fresh).kid!, status: await atResourceServer(fresh) });
      results.push({ kid: original!, status: await atResourceServer(before) });
      await sleep(20);
    }
  })();

  let next = '';
  try {
    // Step 1 publishes a next key; signing stays with the original one.
    const published = await keysCli(['rotate']);
    expect(published).toMatchObject({ code: 0, stderr: '' });
    expect(published.stdout).toMatch(/^published new key es256-\S+ \(ES256\): may sign from \S+Z\n/m);
    next = Object.entries(await listedStates()).find(([, state]) => state === 'next')![0];
    await eventually(async () => (await publishedKids()).includes(next), 'the next key is published');
    expect(decodeProtectedHeader(await accessToken()).kid).toBe(original);

    // Step 2 once the next key has been published for JWKS_MAX_AGE: the time the first step
    // named has passed, however slow the steps before were. (Too early a step 2 is the test above.)
    // Polled rather than slept: connections kept alive do not sit idle long enough to be closed.
    const due = signsFrom(published.stdout) + 100;
    await eventually(async () => (await publishedKids()).includes(next) && Date.now() > due, 'the next key may sign');
    const promoted = await keysCli(['rotate']);
    expect(promoted).toMatchObject({ code: 0, stderr: '' });
    expect(promoted.stdout).toMatch(/^es256-\S+ \(ES256\) now signs\nretired dev-es256: published until \S+Z\n/m);
    expect(await listedStates()).toMatchObject({ [original!]: 'retired', [next]: 'active' });
    await eventually(async () => decodeProtectedHeader(await accessToken()).kid === next, 'tokens are signed with the new key');
    await eventually(async () => results.filter((r) => r.kid === next).length >= 3, 'the traffic has used the new key');
  } finally {
    // Stopped whatever happens above, so that no request outlives the test.
    running = false;
    await traffic;
  }

  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  expect(new Set(results.map((r) => r.kid))).toEqual(new Set([original, next]));
  expect(results.filter((r) => r.kid === next).length).toBeGreaterThan(0);
  // The retired key stays published, so the token signed before the rotation still verifies.
  expect(await publishedKids()).toEqual(expect.arrayContaining([original, next]));
  expect(await atResourceServer(before)).toBe(200);
  // One process all along: reloaded, not restarted.
  expect(tessera.process.exitCode).toBeNull();
  expect(tessera.logs().filter((l) => l.event === 'server.listening')).toHaveLength(1);
  expect(tessera.logs().filter((l) => l.event === 'keys.reloaded').length).toBeGreaterThanOrEqual(2);
}, 180_000);

test('the JWKS is cacheable for JWKS_MAX_AGE, with an ETag that changes with the keys', async () => {
  const response = await fetch(`${tessera.url}/jwks`);
  expect(response.headers.get('cache-control')).toBe(`public, max-age=${JWKS_MAX_AGE}`);
  const etag = response.headers.get('etag')!;
  expect((await fetch(`${tessera.url}/jwks`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  const ready = (await (await fetch(`${tessera.url}/readyz`)).json()) as { fingerprint: { keys: string } };
  expect(await keysCli(['rotate', '--immediately'])).toMatchObject({ code: 0, stderr: '' });
  await eventually(async () => (await fetch(`${tessera.url}/jwks`, { headers: { 'if-none-match': etag } })).status === 200, 'the ETag changes');
  const after = (await (await fetch(`${tessera.url}/readyz`)).json()) as { fingerprint: { keys: string } };
  expect(after.fingerprint.keys).not.toBe(ready.fingerprint.keys);
  await servesWhatIsOnDisk();
});

test('a directory that does not load is refused and the keys in use are kept, on a file change and on SIGHUP', async () => {
  await servesWhatIsOnDisk();
  const kids = await publishedKids();
  const mark = tessera.logs().length;
  const since = (): Record<string, unknown>[] => tessera.logs().slice(mark);
  writeFileSync(join(certs, 'broken.pem'), 'not a key');
  await eventually(async () => since().some((l) => l.event === 'keys.reload_failed' && l.reason === 'CERTS_DIR changed'), 'the change is refused');
  tessera.process.kill('SIGHUP');
  await eventually(async () => since().some((l) => l.event === 'keys.reload_failed' && l.reason === 'SIGHUP'), 'SIGHUP is answered');
  expect(since().find((l) => l.event === 'keys.reload_failed')).toMatchObject({
    level: 'error',
    problems: ['CERTS_DIR: broken.pem holds no PEM private key'],
  });
  expect(await publishedKids()).toEqual(kids);
  expect(await atResourceServer(await accessToken())).toBe(200);

  rmSync(join(certs, 'broken.pem'));
  tessera.process.kill('SIGHUP');
  await eventually(async () => since().some((l) => l.event === 'keys.unchanged' && l.reason === 'SIGHUP'), 'the directory loads again');
  expect(readdirSync(certs).filter((name) => name.startsWith('.'))).toEqual([]);
});
