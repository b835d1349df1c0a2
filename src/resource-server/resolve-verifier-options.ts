import type { JWK } from 'jose';

import { DEFAULT_ALGORITHMS, keyAlgorithms, SUPPORTED_ALGORITHMS } from './jwk-usage.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { toEventSink } from './kit-events.ts';
import { readCertificateFile, readJwksFile } from './read-key-file.ts';
import { ResourceServerConfigError } from './resource-server-config-error.ts';
import { isSecureUrl } from './secure-url.ts';
import type { ResolvedVerifierOptions, VerifierOptions } from './verifier-options.ts';

function seconds(problems: string[], name: string, value: number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) problems.push(`${name}: must be a number of seconds ≥ ${minimum}`);
  return value;
}

function readPinned(problems: string[], options: VerifierOptions): JWK[] | undefined {
  const given = (['jwks', 'jwksPath', 'publicCertPath'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) problems.push(`${given.join(', ')}: give at most one source of pinned keys`);
  const name = given[0];
  if (name === undefined) return undefined;
  try {
    if (name === 'jwks') {
      if (!Array.isArray(options.jwks?.keys)) throw new Error('is not a JWK Set (no "keys" array)');
      return [...options.jwks.keys];
    }
    return name === 'jwksPath' ? readJwksFile(options.jwksPath!) : readCertificateFile(options.publicCertPath!);
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message}`);
    return [];
  }
}

function readRevocation(problems: string[], option: VerifierOptions['revocation'], offline: boolean): ResolvedVerifierOptions['revocation'] {
  if (option === false || (offline && option === undefined)) return undefined;
  if (offline) problems.push('revocation: the revocation feed is followed by online verifiers only; remove it, or the pinned keys');
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    problems.push('revocation: must be false or { pollInterval, maxStaleness }');
    return undefined;
  }
  return {
    pollIntervalMs: seconds(problems, 'revocation.pollInterval', option?.pollInterval, 5, 0.05) * 1000,
    maxStalenessMs: seconds(problems, 'revocation.maxStaleness', option?.maxStaleness, 30, 0) * 1000,
  };
}

function checkAlgorithms(problems: string[], algorithms: readonly string[]): readonly VerifyAlgorithm[] {
  const supported: readonly string[] = SUPPORTED_ALGORITHMS;
  const unsupported = algorithms.filter((alg) => !supported.includes(alg));
  if (algorithms.length === 0 || unsupported.length > 0) {
    problems.push(
      `algorithms: ${unsupported.length ? `${unsupported.join(', ')} cannot verify tokens with public keys` : 'is empty'}; use some of ${SUPPORTED_ALGORITHMS.join(', ')}`,
    );
  }
  return algorithms as readonly VerifyAlgorithm[];
}

/**
 * Applies the defaults and checks every option, reading pinned key files once. Throws one
 * {@link ResourceServerConfigError} naming every problem.
 *
 * @example
 * ```ts
 * const resolved = resolveVerifierOptions({ authority: 'https://id.example.com', publicCertPath: 'signing.crt' });
 * ```
 */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  const problems: string[] = [];
  const algorithms = checkAlgorithms(problems, options.algorithms ?? DEFAULT_ALGORITHMS);
  const pinned = readPinned(problems, options);
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const authority = options.authority;
  if (typeof authority !== 'string' || !URL.canParse(authority)) problems.push('authority: must be the issuer URL, e.g. https://id.example.com');
  else if (!pinned && !isSecureUrl(authority, allowInsecureHttp))
    problems.push(`authority: ${authority} is not https; plain http is allowed only on loopback or with allowInsecureHttp`);
  const audience = options.audience ?? 'resource_server';
  if (typeof audience !== 'string' || audience === '') problems.push('audience: must be a non-empty string');
  if (pinned && pinned.length > 0 && pinned.every((jwk) => typeof keyAlgorithms(jwk, algorithms) === 'string')) {
    problems.push(`${options.jwks ? 'jwks' : options.jwksPath ? 'jwksPath' : 'publicCertPath'}: no key verifies any of ${algorithms.join(', ')}`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') problems.push('fetch: must be a fetch function');
  if (options.allowForeignJwksUri !== undefined && typeof options.allowForeignJwksUri !== 'boolean')
    problems.push('allowForeignJwksUri: must be true or false');
  const resolved: ResolvedVerifierOptions = {
    authority,
    audience,
    algorithms,
    pinned,
    allowInsecureHttp,
    allowForeignJwksUri: options.allowForeignJwksUri === true,
    clockTolerance: seconds(problems, 'clockTolerance', options.clockTolerance, 5, 0),
    cooldownMs: seconds(problems, 'cooldown', options.cooldown, 30, 0) * 1000,
    maxAgeMs: seconds(problems, 'maxAge', options.maxAge, 600, 0) * 1000,
    timeoutMs: seconds(problems, 'timeout', options.timeout, 5, 0.001) * 1000,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    emit: toEventSink(options.logger),
    revocation: readRevocation(problems, options.revocation, pinned !== undefined),
  };
  if (problems.length > 0) throw new ResourceServerConfigError(problems);
  return Object.freeze(resolved);
}
