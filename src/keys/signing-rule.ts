import type { KeyState } from './key-manifest.ts';
import type { SigningKey } from './signing-key.ts';

/** The keys of a KeySet, in signing order (see {@link bySigningOrder}). */
interface OrderedKeys {
  readonly keys: readonly SigningKey[];
}

const STATE_ORDER: Record<KeyState, number> = { active: 0, next: 1, retired: 2 };

/**
 * The signing order: active keys first, the most recently activated first (a key with no date
 * counts as oldest); then next, then retired keys, which never sign.
 */
export function bySigningOrder(a: SigningKey, b: SigningKey): number {
  const age = sinceMs(a) - sinceMs(b);
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || (a.state === 'active' ? -age : age) || a.source.localeCompare(b.source);
}

function sinceMs(key: SigningKey): number {
  return key.since ? Date.parse(key.since) : 0;
}

/**
 * The one rule for which key signs a token of `alg`, whatever the token (access, ID, logout,
 * userinfo or introspection response, embedded or exchanged token): the first active key, in
 * signing order, that can sign `alg`. `next` and `retired` keys never sign; they only verify.
 */
export function signingKeyFor(keys: OrderedKeys, alg: string): SigningKey | undefined {
  return keys.keys.find((k) => k.state === 'active' && k.algs.includes(alg));
}

/** The algorithms `key` is the signer of under {@link signingKeyFor} (none for a key that only verifies). */
export function algorithmsSignedBy(keys: OrderedKeys, key: SigningKey): string[] {
  return key.algs.filter((alg) => signingKeyFor(keys, alg) === key);
}
