import { startRedis } from '../support/redis-server.ts';
import { startTessera } from '../support/tessera.ts';

const SECRET = 'service-secret-0123456789abcdefghijklmnop';
const BASIC = `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`;

test('Redis stopped under load and started again: no crash, only 503 while it is down, success within 2 s of its return', async () => {
  const redis = await startRedis();
  const tessera = await startTessera({
    env: { REDIS_URL: redis.url },
    configFile: { clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }] },
  });
  const samples: { at: number; status: number; body: string }[] = [];
  let running = true;
  // Introspection reads the store on every call: a steady load of requests that need Redis.
  const worker = async (): Promise<void> => {
    while (running) {
      const response = await fetch(`${tessera.url}/token/introspection`, {
        method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=not-a-real-token',
      });
      samples.push({ at: Date.now(), status: response.status, body: await response.text() });
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stoppedAt = Date.now();
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await startRedis([], redis.port);
    const returnedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    running = false;
    await Promise.all(workers);
    await again.stop();

    const statuses = new Set(samples.map((s) => s.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    expect(samples.filter((s) => s.at < stoppedAt).every((s) => s.status === 200)).toBe(true);
    const failures = samples.filter((s) => s.status === 503);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(JSON.parse(failure.body)).toEqual({ error: 'temporarily_unavailable', error_description: 'the authorization server cannot reach its storage; try again shortly' });
    }
    const firstSuccessAfterReturn = samples.find((s) => s.at > returnedAt && s.status === 200);
    expect(firstSuccessAfterReturn).toBeDefined();
    expect(firstSuccessAfterReturn!.at - returnedAt).toBeLessThan(2000);
    expect(samples.filter((s) => s.at > firstSuccessAfterReturn!.at).every((s) => s.status === 200)).toBe(true);
    expect(tessera.process.exitCode).toBeNull();
    expect(JSON.parse(samples.find((s) => s.status === 200)!.body)).toEqual({ active: false });
  } finally {
    running = false;
    await tessera.stop();
  }
});
