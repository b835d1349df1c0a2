import { Redis } from 'ioredis';

import { startTessera, tempDir } from '../support/tessera.ts';

type Mismatch = { instance: string; differs: string[] };
type Ready = { status: string; fingerprint: { config: string; keys: string }; fleet: { instance: string; instances: number; mismatched: Mismatch[] } };

async function ready(url: string): Promise<Ready> {
  return (await fetch(`${url}/readyz`)).json() as Promise<Ready>;
}

test('instances with the same shared settings show the same fingerprint; a differing cookie key or key set shows', async () => {
  const certs = tempDir('tessera-certs-');
  const shared = { ISSUER: 'https://id.example.test', CERTS_DIR: certs, COOKIE_KEYS: 'k'.repeat(32), REDIS_KEY_PREFIX: 'fp:' };
  const one = await startTessera({ env: shared });
  const [two, odd, otherKeys] = await Promise.all([
    startTessera({ env: { ...shared, SHUTDOWN_TIMEOUT: '3' } }),
    startTessera({ env: { ...shared, COOKIE_KEYS: 'x'.repeat(32) } }),
    startTessera({ env: { ...shared, CERTS_DIR: tempDir('tessera-certs-') } }),
  ]);
  try {
    const [a, b, c, d] = await Promise.all([one, two, odd, otherKeys].map((t) => ready(`http://127.0.0.1:${t.port}`)));
    expect(a!.fingerprint.config).toMatch(/^[\w-]{16}$/);
    expect(b!.fingerprint).toEqual(a!.fingerprint);
    expect(c!.fingerprint.config).not.toBe(a!.fingerprint.config);
    expect(c!.fingerprint.keys).toBe(a!.fingerprint.keys);
    expect(d!.fingerprint.keys).not.toBe(a!.fingerprint.keys);
    expect(d!.fingerprint.config).toBe(a!.fingerprint.config);
    expect(one.logs().find((l) => l.event === 'config.fingerprint')).toMatchObject({ fingerprint: a!.fingerprint });
    expect(JSON.stringify(a)).not.toContain('k'.repeat(32));

    // Checked at start through the shared Redis: an instance that joins with other cookie keys
    // or other keys reports the difference at once, naming the part that differs.
    expect(c!.fleet.mismatched).toContainEqual({ instance: a!.fleet.instance, differs: ['config'] });
    expect(d!.fleet.mismatched).toContainEqual({ instance: a!.fleet.instance, differs: ['keys'] });
    expect(b!.fleet.mismatched.map((m) => m.instance)).not.toContain(a!.fleet.instance);
    expect(odd.logs().find((l) => l.event === 'fleet.mismatch')).toMatchObject({
      fingerprint: c!.fingerprint,
      mismatched: expect.arrayContaining([{ instance: a!.fleet.instance, differs: ['config'] }]),
    });
    expect(one.logs().find((l) => l.event === 'fleet.consistent')).toMatchObject({ instances: 1 });
  } finally {
    await Promise.all([one, two, odd, otherKeys].map((t) => t.stop()));
  }
});

/** The instances with an entry in the roll call of `prefix`. */
async function rollCall(prefix: string): Promise<string[]> {
  const redis = new Redis(process.env.REDIS_URL!);
  try {
    return (await redis.hkeys(`${prefix}fleet`)).sort();
  } finally {
    redis.disconnect();
  }
}

test('an instance stopped with SIGTERM leaves the roll call: its successor with another fingerprint reports no mismatch', async () => {
  const prefix = `fp-stop-${process.pid}:`;
  const env = { ISSUER: 'https://id.example.test', CERTS_DIR: tempDir('tessera-certs-'), COOKIE_KEYS: 'k'.repeat(32), REDIS_KEY_PREFIX: prefix };
  const old = await startTessera({ env });
  const { fleet } = await ready(`http://127.0.0.1:${old.port}`);
  expect(await rollCall(prefix)).toEqual([fleet.instance]);
  expect(await old.stop('SIGTERM')).toBe(0);
  expect(await rollCall(prefix)).toEqual([]);
  expect(old.logs().find((l) => l.event === 'fleet.left')).toMatchObject({ instance: fleet.instance });

  // The deployment that replaces it changes a shared setting.
  const successor = await startTessera({ env: { ...env, COOKIE_KEYS: 'x'.repeat(32) } });
  try {
    const now = await ready(`http://127.0.0.1:${successor.port}`);
    expect(now.fleet).toEqual({ instance: expect.any(String), instances: 1, mismatched: [] });
    expect(await rollCall(prefix)).toEqual([now.fleet.instance]);
    expect(
      successor
        .logs()
        .filter((l) => String(l.event).startsWith('fleet.'))
        .map((l) => l.event),
    ).toEqual(['fleet.consistent']);
  } finally {
    await successor.stop();
  }
});

test('a killed instance counts as gone three intervals after its last answer; its entry is removed within four', async () => {
  const prefix = `fp-kill-${process.pid}:`;
  const interval = 2;
  const env = {
    ISSUER: 'https://id.example.test',
    CERTS_DIR: tempDir('tessera-certs-'),
    COOKIE_KEYS: 'k'.repeat(32),
    REDIS_KEY_PREFIX: prefix,
    FLEET_ROLL_CALL_INTERVAL: String(interval),
  };
  const killed = await startTessera({ env });
  const survivor = await startTessera({ env: { ...env, COOKIE_KEYS: 'x'.repeat(32) } });
  try {
    const ghost = (await ready(`http://127.0.0.1:${killed.port}`)).fleet.instance;
    const before = await ready(`http://127.0.0.1:${survivor.port}`);
    expect(before.fleet.mismatched).toEqual([{ instance: ghost, differs: ['config'] }]);
    expect(await rollCall(prefix)).toEqual([ghost, before.fleet.instance].sort());

    await killed.stop('SIGKILL');
    const killedAt = Date.now();
    let left = await rollCall(prefix);
    while (left.includes(ghost) && Date.now() - killedAt < (4 * interval + 2) * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = await rollCall(prefix);
    }
    expect(left).toEqual([before.fleet.instance]);
    // Its last answer came at most one interval before the kill, so it counts as gone no sooner than two intervals after it.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual((2 * interval - 0.5) * 1000);
    expect((await ready(`http://127.0.0.1:${survivor.port}`)).fleet).toEqual({ instance: before.fleet.instance, instances: 1, mismatched: [] });
    await survivor.logsOnce((l) => l.event === 'fleet.consistent');
  } finally {
    await Promise.all([killed.stop(), survivor.stop()]);
  }
});
