import { createMemoryLoginThrottle } from '../../src/accounts/memory-login-throttle.ts';
import { createMemoryUserStore } from '../../src/accounts/memory-user-store.ts';
import { createLoginService } from '../../src/interactions/create-login-service.ts';
import { createLogger } from '../../src/observability/logger.ts';

const PASSWORD = 'correct horse battery staple';
const lines: Record<string, unknown>[] = [];
const logger = createLogger('info', {
  write: (line: string) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
  },
});
// One free failure per username: of a burst, two attempts are checked.
const limits = { username: { freeFailures: 1, baseDelay: 2, maxDelay: 60, window: 600 } };

test('an attempt whose check fails with an error gives its place back and is not counted', async () => {
  const users = createMemoryUserStore({ hashing: { N: 2 ** 10 } });
  await users.create({ username: 'alice', password: PASSWORD });
  let down = true;
  const store = {
    authenticate: (username: string, password: string) => (down ? Promise.reject(new Error('store unreachable')) : users.authenticate(username, password)),
  };
  const login = createLoginService({ store, throttle: createMemoryLoginThrottle({ limits }), logger });

  const errors = await Promise.allSettled(Array.from({ length: 2 }, () => login.login('alice', 'wrong password', '192.0.2.1')));
  expect(errors.map((e) => e.status === 'rejected' && (e.reason as Error).message)).toEqual(['store unreachable', 'store unreachable']);
  down = false;
  // Both places are free again and nothing was counted: two failures before the back-off, as at first.
  expect(await login.login('alice', 'wrong password', '192.0.2.1')).toEqual({ outcome: 'invalid' });
  expect(await login.login('alice', 'wrong password', '192.0.2.1')).toEqual({ outcome: 'invalid' });
  expect(await login.login('alice', PASSWORD, '192.0.2.1')).toEqual({ outcome: 'throttled', retryAfter: 2 });
  expect(lines.filter((l) => l.event === 'login.failed').map((l) => l.failures)).toEqual([
    { username: 1, ip: 1 },
    { username: 2, ip: 2 },
  ]);
});
