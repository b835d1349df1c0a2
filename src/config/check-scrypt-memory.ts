import { totalmem } from 'node:os';

/** scrypt's block size r, as the password hasher uses it (DEFAULT_SCRYPT_PARAMS in src/accounts/scrypt-params.ts). */
export const SCRYPT_BLOCK_SIZE = 8;

/** Password hashes that run at once: Node's thread pool has 4 threads. */
export const CONCURRENT_HASHES = 4;

/**
 * PASSWORD_SCRYPT_N is refused when the sign-ins that run at once need more memory than the
 * process may use (`available` bytes): scrypt would fail at the sign-in ("malloc failure"), or
 * the process be killed, rather than at start. One hash takes 128 · r · N bytes.
 */
export function checkScryptMemory(N: number, available: number): string[] {
  const perHash = 128 * SCRYPT_BLOCK_SIZE * N;
  if (perHash * CONCURRENT_HASHES <= available) return [];
  return [
    `PASSWORD_SCRYPT_N: ${N} takes ${mib(perHash)} per password hash, ${mib(perHash * CONCURRENT_HASHES)} for the ${CONCURRENT_HASHES} ` +
      `that run at once, more than the ${mib(available)} of memory this process may use`,
  ];
}

/** Bytes this process may use: the container's limit (cgroup) if it has one, else the machine's memory. */
export function availableMemory(): number {
  const limit = process.constrainedMemory();
  return Math.min(limit > 0 ? limit : Infinity, totalmem());
}

function mib(bytes: number): string {
  return `${Math.floor(bytes / 2 ** 20)} MiB`;
}
