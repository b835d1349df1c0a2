// Fenced: external signing keys are an experimental feature of oidc-provider; the engine refuses
// to start unless the feature is acknowledged at the exact experimental version it implements,
// and a new version may change the ExternalSigningKey contract. test/engine/external-signing.test.ts
// guards the seam.

/** The engine setting that lets it take Tessera's signing keys (src/provider/engine-signing-keys.ts). */
export const EXTERNAL_SIGNING = { enabled: true, ack: 'experimental-01' } as const;
