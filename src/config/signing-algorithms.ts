/**
 * The JWS algorithms Tessera signs and verifies with: the one list the settings, the key files
 * and the verifiers take theirs from (src/keys/jws-algorithms.ts says how each is computed).
 */
export const SIGNING_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
