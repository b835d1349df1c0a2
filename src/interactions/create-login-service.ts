import { createHash } from 'node:crypto';

import { normalizeUsername } from '../accounts/account-input.ts';
import type { LoginThrottle } from '../accounts/login-throttle.ts';
import type { UserStore } from '../accounts/user-store.ts';
import type { Logger } from '../observability/logger.ts';
import type { SignInMetrics } from '../observability/sign-in-metrics.ts';
import type { LoginService } from './login-service.ts';

/**
 * Password login behind the brute-force throttle: a throttled attempt is refused before any
 * password is checked; a failure counts against the username and the client address (on
 * every instance, through Redis) and is logged as an event with a digest of the username.
 */
export function createLoginService({ store, throttle, logger, metrics }: {
  store: Pick<UserStore, 'authenticate'>;
  throttle: LoginThrottle;
  logger: Logger;
  metrics?: SignInMetrics | undefined;
}): LoginService {
  return {
    async login(username, password, ip) {
      const attempt = { username, ip };
      // People sometimes type their password into the username field: the log gets a digest.
      const user = createHash('sha256').update(normalizeUsername(username)).digest('base64url').slice(0, 16);
      const verdict = await throttle.check(attempt);
      if (!verdict.allowed) {
        logger.warn({ event: 'login.throttled', user, ip, retryAfter: verdict.retryAfter, lockedBy: verdict.lockedBy }, 'login refused: too many failures');
        metrics?.signIn('throttled');
        return { outcome: 'throttled', retryAfter: verdict.retryAfter };
      }
      const accountId = await store.authenticate(username, password);
      if (accountId) {
        await throttle.recordSuccess(attempt);
        metrics?.signIn('success');
        return { outcome: 'ok', accountId };
      }
      const record = await throttle.recordFailure(attempt);
      logger.warn({ event: 'login.failed', user, ip, failures: record.failures }, 'login failed');
      metrics?.signIn('wrong_credentials');
      return { outcome: 'invalid' };
    },
  };
}
