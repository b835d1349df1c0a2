import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';

import { generateKeyPem } from '../../src/keys/generate-key.ts';
import { RotationBusyError } from '../../src/keys/key-store.ts';
import { keySetNames } from '../../src/keys/redis-key-records.ts';
import { redisKeyStore } from '../../src/keys/redis-key-store.ts';
import { rejectedProblems as problems } from '../support/config-problems.ts';

let redis: Redis;
let run = 0;
const prefix = (): string => `test-key-store-security:${process.pid}:${++run}:`;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(() => redis.quit());

test('a record opens only with its key-encryption key and under its own name', async () => {
  const at = prefix();
  const store = redisKeyStore({ redis, prefix: at, encryptionKey: randomBytes(32) });
  await store.add([{ stem: 'one', pem: generateKeyPem('ES256'), certificates: [], entry: {} }]);
  const stranger = redisKeyStore({ redis, prefix: at, encryptionKey: randomBytes(32) });
  expect(await problems(stranger.load())).toEqual(['KEYS_STORE: one cannot be decrypted with KEYS_ENCRYPTION_KEY (another key, or the record was altered)']);

  const names = keySetNames(at);
  await redis.hset(names.records, 'moved', (await redis.hget(names.records, 'one'))!);
  await redis.hdel(names.records, 'one');
  expect(await problems(store.load())).toEqual(['KEYS_STORE: moved cannot be decrypted with KEYS_ENCRYPTION_KEY (another key, or the record was altered)']);
});

test('the rotation lock is released only by its holder, and a step whose lock was taken over writes nothing', async () => {
  const at = prefix();
  const names = keySetNames(at);
  const store = redisKeyStore({ redis, prefix: at, encryptionKey: randomBytes(32) });
  await store.add([{ stem: 'one', pem: generateKeyPem('ES256'), certificates: [], entry: {} }]);
  const before = await redis.hgetall(names.records);
  await expect(
    store.rotating(async (apply) => {
      await redis.set(names.lock, 'someone-else');
      await apply({ drop: ['one'], generate: [{ stem: 'two', alg: 'ES256' }], manifest: { two: { state: 'next' } } });
    }),
  ).rejects.toBeInstanceOf(RotationBusyError);
  expect(await redis.get(names.lock)).toBe('someone-else');
  expect(await redis.hgetall(names.records)).toEqual(before);
  await expect(store.rotating(async () => 'runs')).rejects.toBeInstanceOf(RotationBusyError);
});

test('a change whose notification is missed is caught by the version check within the interval', async () => {
  const at = prefix();
  const names = keySetNames(at);
  const store = redisKeyStore({ redis, prefix: at, encryptionKey: randomBytes(32) });
  await store.add([{ stem: 'one', pem: generateKeyPem('ES256'), certificates: [], entry: {} }]);
  await store.load();
  let changes = 0;
  const stop = store.watch(1, () => {
    changes++;
  });
  try {
    await sleep(1500);
    expect(changes).toBe(0);
    await redis.incr(names.version); // a change announced on no channel
    for (const deadline = Date.now() + 4000; !changes && Date.now() < deadline; ) await sleep(50);
    expect(changes).toBeGreaterThan(0);
  } finally {
    await stop();
  }
});
