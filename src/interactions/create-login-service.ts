import { createHash } from 'node:crypto';

import { normalizeUsername } from '../accounts/account-input.ts';
import type { LoginThrottle } from '../accounts/login-throttle.ts';
import type { UserStore } from '../accounts/user-store.ts';
import { createAudit } from '../observability/audit-log.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { Logger } from '../observability/logger.ts';
import type { SignInMetrics } from '../observability/sign-in-metrics.ts';
import { noTracing } from '../observability/tracing.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { LoginService } from './login-service.ts';

/**
 * Password login behind the brute-force throttle: the throttle reserves the attempt before any
 * password is checked, or refuses it; a failure counts against the username and the client
 * address (on every instance, through Redis). Every attempt is an audit event (login.success,
 * login.failed, login.throttled) with a digest of the username, never the username itself.
 */
export function createLoginService({
  store,
  throttle,
  logger,
  audit = createAudit(logger),
  tracing = noTracing,
  metrics,
}: {
  store: Pick<UserStore, 'authenticate'>;
  throttle: LoginThrottle;
  logger: Logger;
  /** Where the attempts are audited (AUDIT_LOG); default the log itself. */
  audit?: Audit | undefined;
  /** The password check runs in a span of its own; default none. */
  tracing?: Tracing | undefined;
  metrics?: SignInMetrics | undefined;
}): LoginService {
  return {
    async login(username, password, ip, request) {
      const attempt = { username, ip };
      // People sometimes type their password into the username field: the log gets a digest.
      const user = createHash('sha256').update(normalizeUsername(username)).digest('base64url').slice(0, 16);
      const common = { target: `client:${request?.clientId ?? 'unknown'}`, requestId: request?.requestId, user, ip } as const;
      const verdict = await throttle.reserve(attempt);
      if (!verdict.allowed) {
        audit({ event: 'login.throttled', actor: 'anonymous', outcome: 'refused', ...common, retryAfter: verdict.retryAfter, lockedBy: verdict.lockedBy });
        metrics?.signIn('throttled');
        return { outcome: 'throttled', retryAfter: verdict.retryAfter };
      }
      const { reservation } = verdict;
      const accountId = await tracing
        .span('login.password_check', () => store.authenticate(username, password))
        .catch(async (err: unknown) => {
          // Not checked after all: the place is given back, and the error answered as any other.
          await throttle.release(attempt, reservation).catch(() => undefined);
          throw err;
        });
      if (accountId) {
        await throttle.recordSuccess(attempt, reservation);
        audit({ event: 'login.success', actor: `user:${accountId}`, outcome: 'success', ...common });
        metrics?.signIn('success');
        return { outcome: 'ok', accountId };
      }
      const record = await throttle.recordFailure(attempt, reservation);
      audit({ event: 'login.failed', actor: 'anonymous', outcome: 'failure', ...common, failures: record.failures });
      metrics?.signIn('wrong_credentials');
      return { outcome: 'invalid' };
    },
  };
}
