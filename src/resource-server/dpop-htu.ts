import { createBoundedMap } from './bounded-map.ts';

/**
 * An `htu` as RFC 9449 §4.3 compares it: the URL with syntax- and scheme-based normalisation
 * (WHATWG URL parsing: lower-case scheme and host, default port dropped, dot segments
 * resolved), query and fragment removed. Undefined when it is no absolute http(s) URL.
 *
 * @example
 * ```ts
 * normalise('HTTPS://API.example.com:443/orders?page=2'); // 'https://api.example.com/orders'
 * ```
 */
export function normalise(url: string): string | undefined {
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return undefined;
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * {@link normalise} with the most recent `maxEntries` answers kept by the exact URL text: a
 * client calls the same few URLs again and again, and parsing one costs more than the lookup.
 *
 * @example
 * ```ts
 * const htu = createHtuNormaliser();
 * htu('https://api.example.com/orders?page=2'); // 'https://api.example.com/orders'
 * ```
 */
export function createHtuNormaliser(maxEntries = 1000): (url: string) => string | undefined {
  const known = createBoundedMap<string, string>(maxEntries);
  return (url) => {
    const cached = known.get(url);
    if (cached !== undefined) return cached;
    const normalised = normalise(url);
    if (normalised !== undefined) known.set(url, normalised);
    return normalised;
  };
}
