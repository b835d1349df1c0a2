import { writeSourceTree } from '../support/source-imports.ts';
import { ROOT, tempDir } from '../support/tessera.ts';
import { findLayerViolations } from './layer-table.ts';

test('every import in src/ and adapters/ points down the layers: config, storage, keys and accounts, provider, HTTP', () => {
  const { scanned, violations } = findLayerViolations(ROOT);
  expect(scanned).toEqual(
    expect.arrayContaining([
      'src/main.ts',
      'src/config/load-config.ts',
      'adapters/redis/redis-client.ts',
      'src/resource-server/index.ts',
      'src/provider/create-provider.ts',
    ]),
  );
  expect(violations).toEqual([]);
});

test('the scan catches imports up a layer, across a layer, out of the kit or the adapter, and modules in no layer', () => {
  const root = tempDir();
  const files: Record<string, string> = {
    'src/config/load-config.ts': "import { listKeyFiles } from '../keys/key-files.ts';\nimport { z } from 'zod';",
    'src/keys/rotate-keys.ts': "import type { Config } from '../config/load-config.ts';",
    'src/accounts/user-store.ts': "import type { KeySet } from '../keys/key-set.ts';",
    'src/provider/create-provider.ts': "import { demoClient } from '../demo/demo-client.ts';\nimport { createJwtSigner } from '../keys/jwt-signer.ts';",
    'src/token-exchange/grant.ts': "export { engineResourceServer } from '../provider/engine-resource-server.ts';",
    'src/resource-server/verifier.ts': "import type { Config } from '../config/load-config.ts';\nimport { keySet } from './key-set.ts';",
    'adapters/redis/redis-client.ts': "import type { RedisTarget } from '../../src/config/load-config.ts';",
    'src/main.ts': "const kit = await import('./observability/metrics-kit.ts');\nimport { createProvider } from './provider/create-provider.ts';",
    'src/observability/logger.ts': "import type { Config } from '../config/load-config.ts';",
    'src/observability/key-metrics.ts': "import { KEY_STATES } from '../keys/key-manifest.ts';",
    'src/revocation/feed.ts': "import type { Metrics } from '../observability/metrics-kit.ts';",
    'src/observability/tracing.ts': "import type { Fingerprint } from './config-fingerprint.ts';",
    'src/observability/config-fingerprint.ts': "import type { KeySet } from '../keys/key-set.ts';\nimport type { FleetStatus } from './fleet-roll-call.ts';",
    'src/elsewhere/thing.ts': "import { x } from '../config/x.ts';",
  };
  writeSourceTree(root, files);
  expect(findLayerViolations(root).violations.sort()).toEqual([
    'adapters/redis/redis-client.ts (Redis adapter) imports src/config/load-config.ts (config)',
    'src/accounts/user-store.ts (keys and accounts) imports src/keys/key-set.ts (keys and accounts)',
    'src/config/load-config.ts (config) imports src/keys/key-files.ts (keys and accounts)',
    'src/elsewhere/thing.ts is in no layer',
    'src/observability/tracing.ts (observability) imports src/observability/config-fingerprint.ts (observability of keys and fleet)',
    'src/provider/create-provider.ts (provider) imports src/demo/demo-client.ts (surfaces)',
    'src/resource-server/verifier.ts (resource-server kit) imports src/config/load-config.ts (config)',
    'src/token-exchange/grant.ts (token exchange) imports src/provider/engine-resource-server.ts (provider)',
  ]);
});
