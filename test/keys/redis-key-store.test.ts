import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';

import { redisKeyStore } from '../../src/keys/redis-key-store.ts';
import { keyStoreContract } from './support/key-store-contract.ts';

const kek = randomBytes(32);
let run = 0;

keyStoreContract('Redis', async () => {
  const prefix = `test-key-store:${process.pid}:${++run}:`;
  const [one, two] = [new Redis(process.env.REDIS_URL!), new Redis(process.env.REDIS_URL!)];
  return {
    store: redisKeyStore({ redis: one, prefix, encryptionKey: kek }),
    other: redisKeyStore({ redis: two, prefix, encryptionKey: kek }),
    close: async () => {
      await Promise.all([one.quit(), two.quit()]);
    },
  };
});
