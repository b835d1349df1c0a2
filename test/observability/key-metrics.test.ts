import { Registry } from 'prom-client';

import type { KeySet } from '../../src/keys/load-keys.ts';
import type { SigningKey } from '../../src/keys/signing-key.ts';
import { keyMetrics } from '../../src/observability/key-metrics.ts';
import { parseScrape } from '../support/scrape.ts';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const key = (kid: string, state: SigningKey['state'], alg: string, since?: string): SigningKey => ({
  kid,
  state,
  algs: [alg],
  since,
  source: `${kid}.pem`,
  stem: kid,
  privateJwk: {},
  publicJwk: {},
});
const KEYS: KeySet = {
  jwks: { keys: [] },
  keys: [
    key('es-new', 'active', 'ES256', '2026-12-02T11:00:00Z'),
    key('rs', 'active', 'RS256', '2026-12-01T11:00:00Z'),
    key('es-next', 'next', 'ES256', '2026-12-02T11:30:00Z'),
    key('es-old', 'retired', 'ES256', '2026-12-02T11:00:00Z'),
  ],
};

test("keys by state, and seconds until each algorithm's active key is due for its scheduled rotation", async () => {
  const registry = new Registry();
  keyMetrics(registry, { keys: () => KEYS, rotationInterval: 86_400, now: () => NOW });
  const scrape = await parseScrape(await registry.metrics());
  expect(scrape.series('tessera_signing_keys')).toEqual({ '{state="active"}': 2, '{state="next"}': 1, '{state="retired"}': 1 });
  // ES256 became active an hour ago: due in 23 h; RS256 a day and an hour ago: an hour overdue.
  expect(scrape.series('tessera_signing_key_rotation_due_seconds')).toEqual({ '{alg="ES256"}': 82_800, '{alg="RS256"}': -3600 });
});

test('without a rotation schedule there is no due time', async () => {
  const registry = new Registry();
  keyMetrics(registry, { keys: () => KEYS, rotationInterval: 0, now: () => NOW });
  expect((await parseScrape(await registry.metrics())).family('tessera_signing_key_rotation_due_seconds')).toBeUndefined();
});
