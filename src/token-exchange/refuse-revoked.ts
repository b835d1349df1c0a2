import type { Revocations } from '../revocation/revocations.ts';
import { invalidGrant } from './invalid-grant.ts';
import type { PresentedTokenReader } from './read-presented-token.ts';

/**
 * A reader that also refuses a revoked subject or actor token (`invalid_grant`), so a token
 * taken back cannot be traded for a fresh one. Without revocations, the reader as it is.
 */
export function refuseRevoked(read: PresentedTokenReader, revocations: Pick<Revocations, 'isRevoked'> | undefined): PresentedTokenReader {
  if (!revocations) return read;
  return async (value, type, parameter) => {
    const token = await read(value, type, parameter);
    if (await revocations.isRevoked(token)) throw invalidGrant(`the ${parameter} has been revoked`);
    return token;
  };
}
