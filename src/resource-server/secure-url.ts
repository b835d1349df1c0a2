const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the kit may fetch keys from `url`: https always; plain http only on loopback or when
 * the operator allowed it, because keys fetched over plain http let anyone on the path forge tokens.
 *
 * @example
 * ```ts
 * isSecureUrl('http://127.0.0.1:3000/jwks', false); // true
 * isSecureUrl('http://tessera:3000/jwks', false);   // false
 * ```
 */
export function isSecureUrl(url: string, allowInsecureHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && (allowInsecureHttp || LOOPBACK.has(parsed.hostname));
}
