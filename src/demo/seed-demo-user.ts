import { randomBytes } from 'node:crypto';

import { UserStoreError } from '../accounts/user-store-error.ts';
import type { UserStore } from '../accounts/user-store.ts';
import type { Logger } from '../observability/logger.ts';
import { DEMO_USERNAME } from './demo-client.ts';

/** What {@link seedDemoUser} needs. */
export interface SeedDemoUserDeps {
  readonly store: Pick<UserStore, 'create'>;
  readonly logger: Logger;
  /** Where the demo app is, for the log line. */
  readonly issuer: string;
}

/**
 * Creates the demo user `demo` with a new random password and writes that password to the log
 * once (event `demo.user`, development only). When the user already exists — a store that
 * outlives restarts, or another instance on the same Redis created it first — its password is
 * left alone and the log says how to set a new one. Never stops the start: a store that cannot
 * be reached is logged as `demo.user_failed`.
 */
export async function seedDemoUser({ store, logger, issuer }: SeedDemoUserDeps): Promise<void> {
  const password = randomBytes(12).toString('base64url');
  try {
    await store.create({
      username: DEMO_USERNAME,
      password,
      name: 'Demo User',
      given_name: 'Demo',
      family_name: 'User',
      email: 'demo@example.com',
      email_verified: true,
    });
    logger.info(
      { event: 'demo.user', username: DEMO_USERNAME, created: true, demo_password: password },
      `demo app: open ${issuer}/ and sign in as "${DEMO_USERNAME}" with password "${password}" (development only; shown once)`,
    );
  } catch (err) {
    if (err instanceof UserStoreError && err.code === 'username_taken') {
      logger.info(
        { event: 'demo.user', username: DEMO_USERNAME, created: false },
        `demo app: open ${issuer}/ and sign in as "${DEMO_USERNAME}"; that user exists from an earlier start and its password was shown then ` +
          `(set a new one with: npx tessera users set-password ${DEMO_USERNAME})`,
      );
      return;
    }
    logger.warn({ event: 'demo.user_failed', err: { message: (err as Error).message } }, 'demo app: the demo user could not be created');
  }
}
