import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load-config.ts';

/** The problems loadConfig lists for `env`; fails the test when it accepts them. */
export function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loadConfig accepted the settings');
}

/** The problems of the ConfigError `promise` rejects with; fails the test when it resolves. */
export async function rejectedProblems(promise: Promise<unknown>): Promise<readonly string[]> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('the promise resolved instead of listing problems');
}
