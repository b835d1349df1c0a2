/**
 * `tessera/resource-server`: what a resource server imports to verify Tessera's access tokens
 * offline. At runtime it depends on Node only (`node:crypto` verifies; `jose` lends its JWK
 * type) — nothing of the provider side, no Koa or Express — so a service can depend on it alone.
 *
 * The middleware also verifies DPoP proofs (RFC 9449) for DPoP-bound tokens, and refuses such
 * tokens sent as plain bearer tokens.
 *
 * Beside the verifier, `createTokenExchange()` is the RFC 8693 client a resource server uses to
 * trade a token it received for one for another audience, caching it until shortly before it expires.
 *
 * @module
 */
export { createVerifier } from './create-verifier.ts';
export type { Verifier } from './create-verifier.ts';
export type { RevocationOptions, VerifierOptions } from './verifier-options.ts';
export type { AccessTokenClaims } from './access-token-claims.ts';
export { TokenRejectedError } from './token-rejected-error.ts';
export type { Rejection, RejectionReason } from './rejection-reasons.ts';
export { ResourceServerConfigError } from './resource-server-config-error.ts';
export { koaBearerAuth } from './koa-bearer-auth.ts';
export type { BearerAuthState, KoaBearerContext } from './koa-bearer-auth.ts';
export { expressBearerAuth } from './express-bearer-auth.ts';
export type { NodeBearerRequest, WithAuth } from './express-bearer-auth.ts';
export { createBearerAuthenticator } from './bearer-authenticator.ts';
export type { Authenticated, AuthRequest, BearerAuthenticator, BearerAuthOptions } from './bearer-authenticator.ts';
export { bearerResponse } from './bearer-response.ts';
export type { BearerResponse, DpopChallenge } from './bearer-response.ts';
export { DEFAULT_DPOP_ALGORITHMS } from './dpop-options.ts';
export type { DpopOptions } from './dpop-options.ts';
export { createMemoryReplayStore } from './dpop-replay-store.ts';
export type { DpopReplayStore, MemoryReplayStoreOptions } from './dpop-replay-store.ts';
export { DEFAULT_ALGORITHMS, SUPPORTED_ALGORITHMS } from './jwk-usage.ts';
export type { VerifyAlgorithm } from './jwk-usage.ts';
export type { EventSink, KitEvent, KitLogger, LoggerLike } from './kit-events.ts';
export type { FetchLike } from './fetch-json.ts';
export { createTokenExchange } from './token-exchange-client.ts';
export type { TokenExchange } from './token-exchange-client.ts';
export type { ExchangedToken, ExchangeRequest, TokenExchangeOptions } from './token-exchange-options.ts';
export type { TraceContext } from './trace-headers.ts';
export { TokenExchangeError } from './token-exchange-error.ts';
