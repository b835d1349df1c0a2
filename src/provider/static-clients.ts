import type { Configuration } from 'oidc-provider';

import type { Config } from '../config/load-config.ts';
import type { ClientMetadata } from '../config/client-schema.ts';
import { DEVELOPMENT_CLIENT } from './development-client.ts';
import { engineClientMetadata } from './engine/client-secret.ts';

/**
 * The static clients Tessera runs with: the configured ones, or else (in development) the
 * development client and `development`, the clients of what runs beside it (the demo app).
 */
export function staticClients(config: Config, development: readonly ClientMetadata[] = []): NonNullable<Configuration['clients']> {
  if (config.clients.length || config.production) return config.clients.map((c) => engineClientMetadata({ ...c }));
  return [{ ...DEVELOPMENT_CLIENT }, ...development];
}
