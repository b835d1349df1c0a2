/** scrypt cost parameters, as stored with every hash. */
export interface ScryptParams {
  /** CPU/memory cost: a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
  /** Length of the derived key, in bytes. */
  readonly keylen: number;
}

/** Strong defaults: 32 MiB and roughly 50–100 ms per hash on a current server core. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 2 ** 15, r: 8, p: 1, keylen: 32 });

/** Bounds on parameters, for configuration and for hashes read back from storage. */
const LIMITS = { N: [2 ** 1, 2 ** 22], r: [1, 32], p: [1, 16], keylen: [16, 128] } as const;

/** Problems with scrypt parameters, each naming the parameter; empty when usable. */
export function checkScryptParams(params: ScryptParams): string[] {
  const problems: string[] = [];
  for (const name of ['N', 'r', 'p', 'keylen'] as const) {
    const value = params[name];
    const [min, max] = LIMITS[name];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name}: must be a whole number from ${min} to ${max}`);
  }
  if (Number.isInteger(params.N) && (params.N & (params.N - 1)) !== 0) problems.push('N: must be a power of two');
  return problems;
}

/** Memory scrypt needs for these parameters, with headroom; passed to node:crypto as `maxmem`. */
export function scryptMaxmem(params: ScryptParams): number {
  return 128 * params.r * (params.N + params.p + 2) + 1024 * 1024;
}
