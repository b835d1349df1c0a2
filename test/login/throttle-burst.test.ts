import * as client from 'openid-client';

import { addUser, browse, CookieJar, csrfOf } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
const CLIENTS = {
  clients: [
    { client_id: 'webapp', client_secret: SECRET, client_name: 'Web App', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] },
  ],
};
const WRONG = '<p class="alert" role="alert" id="login-error">Wrong username or password.</p>';
/** The message of the throttled page, as it reads today. */
const wait = (seconds: string | null): string => `<p class="alert" role="alert" id="login-error">Too many attempts. Try again in ${seconds} seconds.</p>`;
let run = 0;

/** A login form of one interaction, and what each POST of it answered. */
interface LoginForm {
  submit(username: string, password: string): Promise<{ status: number; retryAfter: string | null; body: string }>;
}

async function loginForm(tessera: TesseraProcess, others: TesseraProcess[] = []): Promise<LoginForm> {
  const config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const jar = new CookieJar();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'w'.repeat(43), code_challenge_method: 'S256' });
  const start = await browse(jar, url.href);
  const html = await (await browse(jar, new URL(start.headers.get('location')!, tessera.url).href)).text();
  const uid = /action="\/interaction\/([\w-]+)\//.exec(html)![1]!;
  const instances = [tessera, ...others];
  let next = 0;
  return {
    async submit(username, password) {
      // Round robin over the instances: the interaction and its cookies are shared through Redis.
      const instance = instances[next++ % instances.length]!;
      const answer = await browse(jar, `${instance.url}/interaction/${uid}/login`, { csrf: csrfOf(html), username, password });
      return { status: answer.status, retryAfter: answer.headers.get('retry-after'), body: await answer.text() };
    },
  };
}

/** Tessera on the test run's Redis, under a key prefix of its own unless `prefix` is shared. */
function start(prefix: string, env: Record<string, string> = {}): Promise<TesseraProcess> {
  return startTessera({ configFile: CLIENTS, env: { REDIS_KEY_PREFIX: prefix, ...env } });
}

/** The log lines of the events, once there are `count` of them (log lines reach stdout in batches); at most 15 s. */
async function logged(tessera: TesseraProcess, events: string | string[], count: number): Promise<Record<string, unknown>[]> {
  const lines = () => tessera.logs().filter((l) => [events].flat().includes(String(l.event)));
  for (const deadline = Date.now() + 15_000; lines().length < count && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  return lines();
}

/** How many answers had each status. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('bursts of sign-ins for one username', () => {
  const prefix = `burst-user-${process.pid}:`;
  let a: TesseraProcess;
  let b: TesseraProcess;

  beforeAll(async () => {
    // The address limit is raised so that only the username limit (5 free failures) is at work.
    [a, b] = await Promise.all([start(prefix, { LOGIN_THROTTLE_IP_FREE_FAILURES: '100000' }), start(prefix, { LOGIN_THROTTLE_IP_FREE_FAILURES: '100000' })]);
    for (const username of ['erin', 'frank', 'grace']) addUser(a.redisEnv!, username, PASSWORD);
  });
  afterAll(() => Promise.all([a.stop(), b.stop()]));

  test('of 40 parallel wrong passwords, 6 are checked as in a sequence (5 free failures and the one that sets the back-off); 34 wait', async () => {
    const form = await loginForm(a);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => form.submit('erin', `wrong-${i}`)));
    expect(tally(answers.map((x) => x.status))).toEqual({ 401: 6, 429: 34 });
    const wrong = answers.find((x) => x.status === 401)!;
    expect(wrong.body).toContain(WRONG);
    for (const refused of answers.filter((x) => x.status === 429)) {
      // 2 s while the six are checked; what arrives after the sixth failed sees its lock run down.
      expect(refused.retryAfter).toMatch(/^[12]$/);
      // The throttled page is the login page with the message to wait, nothing else changed.
      expect(refused.body).toBe(wrong.body.replace(WRONG, wait(refused.retryAfter)));
    }
    expect(await logged(a, 'login.failed', 6)).toHaveLength(6);
    const throttled = await logged(a, 'login.throttled', 34);
    expect(throttled.map((l) => l.lockedBy)).toEqual(Array(34).fill(['username']));
  });

  test('the right password sent while a burst of 39 wrong ones is being answered is refused, as it would be after them in a sequence', async () => {
    const form = await loginForm(a);
    const wrong = Array.from({ length: 39 }, (_, i) => form.submit('frank', `wrong-${i}`));
    await Promise.race(wrong);
    const right = await form.submit('frank', PASSWORD);
    const answers = await Promise.all(wrong);
    expect(right.status).toBe(429);
    expect(right.retryAfter).toMatch(/^[12]$/);
    expect(right.body).toContain(wait(right.retryAfter));
    expect(tally(answers.map((x) => x.status))).toEqual({ 401: 6, 429: 33 });
  });

  test('a burst split across two instances on one Redis checks no more than one instance would', async () => {
    const form = await loginForm(a, [b]);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => form.submit('grace', `wrong-${i}`)));
    expect(tally(answers.map((x) => x.status))).toEqual({ 401: 6, 429: 34 });
    for (const refused of answers.filter((x) => x.status === 429)) {
      expect(refused.retryAfter).toMatch(/^[12]$/);
      expect(refused.body).toContain(wait(refused.retryAfter));
    }
    // b answered every other request of the burst: it took part.
    expect(await logged(b, ['login.failed', 'login.throttled'], 20)).toHaveLength(20);
  });
});

test('of 100 parallel sign-ins with different usernames from one address, 51 are checked (50 free failures and the one that sets the back-off)', async () => {
  const tessera = await start(`burst-ip-${process.pid}-${++run}:`);
  try {
    const form = await loginForm(tessera);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => form.submit(`nobody-${i}`, `wrong-${i}`)));
    expect(tally(answers.map((x) => x.status))).toEqual({ 401: 51, 429: 49 });
    const wrong = answers.find((x) => x.status === 401)!;
    for (const refused of answers.filter((x) => x.status === 429)) {
      // The address's back-off starts at 1 s.
      expect(refused.retryAfter).toBe('1');
      expect(refused.body).toBe(wrong.body.replace(WRONG, wait('1')).replace(/value="nobody-\d+"/, /value="nobody-\d+"/.exec(refused.body)![0]));
    }
    expect((await logged(tessera, 'login.throttled', 49)).map((l) => l.lockedBy)).toEqual(Array(49).fill(['ip']));
  } finally {
    await tessera.stop();
  }
}, 120_000);

test('without Redis the memory throttle holds the same way: of 40 parallel wrong passwords, 6 are checked', async () => {
  const tessera = await startTessera({ redis: false, configFile: CLIENTS });
  try {
    const form = await loginForm(tessera);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => form.submit('erin', `wrong-${i}`)));
    expect(tally(answers.map((x) => x.status))).toEqual({ 401: 6, 429: 34 });
    const wrong = answers.find((x) => x.status === 401)!;
    for (const refused of answers.filter((x) => x.status === 429)) {
      expect(refused.retryAfter).toMatch(/^[12]$/);
      expect(refused.body).toBe(wrong.body.replace(WRONG, wait(refused.retryAfter)));
    }
  } finally {
    await tessera.stop();
  }
}, 60_000);
