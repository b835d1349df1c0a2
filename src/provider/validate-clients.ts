import type { Provider } from 'oidc-provider';

import { ConfigError } from '../config/config-error.ts';

interface EngineError {
  error_description?: string;
  message?: string;
}

/**
 * Asks the engine to load every static client now, so that metadata it rejects stops the
 * start with a message naming the client, instead of failing its first request.
 */
export async function validateStaticClients(provider: Provider, clientIds: readonly string[]): Promise<void> {
  const problems: string[] = [];
  for (const [i, id] of clientIds.entries()) {
    try {
      await provider.Client.find(id);
    } catch (thrown) {
      const err = thrown as EngineError;
      problems.push(`clients (CONFIG_FILE)[${i}] (client_id ${id}): ${err.error_description ?? err.message ?? 'invalid metadata'}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
}
