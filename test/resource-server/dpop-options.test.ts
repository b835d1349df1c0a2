import { createVerifier, koaBearerAuth, ResourceServerConfigError } from '../../src/resource-server/index.ts';
import type { DpopOptions } from '../../src/resource-server/index.ts';

const verifier = createVerifier({ authority: 'https://id.example.com', jwks: { keys: [] } });

test('bad DPoP options are all named at once', () => {
  const dpop = {
    required: 'yes',
    algorithms: ['HS256'],
    maxAge: 0,
    clockTolerance: -1,
    origin: 'https://api.example.com/orders',
    replayStore: {},
    nonceSecret: 'short',
  } as unknown as DpopOptions;
  expect(() => koaBearerAuth({ verifier, dpop })).toThrow(ResourceServerConfigError);
  expect(() => koaBearerAuth({ verifier, dpop })).toThrow(
    expect.objectContaining({
      problems: [
        'dpop.algorithms: use some of ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA, Ed25519 (asymmetric only)',
        'dpop.required: must be true or false',
        'dpop.replayStore: must have a unique(key, expiresAt) method',
        'dpop.maxAge: must be more than 0',
        'dpop.nonceSecret: must be at least 32 bytes (the same on every replica)',
        'dpop.clockTolerance: must be a number of seconds ≥ 0',
        'dpop.origin: must be an origin only, e.g. https://api.example.com',
      ],
    }),
  );
});
