import { Provider } from 'oidc-provider';

import { EXTERNAL_SIGNING } from '../../src/provider/engine/external-signing.ts';

test('seam: the engine starts with external signing acknowledged at the version Tessera was written for', () => {
  expect(() => new Provider('http://localhost:1', { features: { externalSigningSupport: EXTERNAL_SIGNING } })).not.toThrow();
});

test('seam: the engine checks the acknowledgement, so a new experimental version stops Tessera at start', () => {
  expect(() => new Provider('http://localhost:1', { features: { externalSigningSupport: { enabled: true, ack: 'experimental-00' } } })).toThrow(
    'An unacknowledged version of an experimental feature is included in this oidc-provider version.',
  );
});
