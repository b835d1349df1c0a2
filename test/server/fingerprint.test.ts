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
      fingerprint: c!.fingerprint, mismatched: expect.arrayContaining([{ instance: a!.fleet.instance, differs: ['config'] }]),
    });
    expect(one.logs().find((l) => l.event === 'fleet.consistent')).toMatchObject({ instances: 1 });
  } finally {
    await Promise.all([one, two, odd, otherKeys].map((t) => t.stop()));
  }
});
