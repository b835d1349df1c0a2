/** Slots of the table of tokens seen: a power of two. */
const SLOTS = 1 << 15;

/**
 * Whether a JWT has been seen before, by a 32-bit digest of its signature's last characters in a
 * fixed table (no object is kept per token). It decides only what is worth remembering, never
 * whether a token is accepted: a collision or an overwritten slot just verifies a token once more,
 * or remembers one seen once. A stream of tokens each presented once (a relying party calling
 * userinfo after each sign-in) then leaves nothing behind for the garbage collector, while a token
 * presented again and again (a gateway introspecting it on every call) is remembered from its
 * second sighting on.
 */
export function createSeenBefore(): (jwt: string) => boolean {
  const table = new Uint32Array(SLOTS);
  return (jwt) => {
    // FNV-1a over the last 16 characters (the signature's end, random for every token), its bits mixed for the slot.
    let digest = 0x811c9dc5;
    for (let i = Math.max(0, jwt.length - 16); i < jwt.length; i++) digest = Math.imul(digest ^ jwt.charCodeAt(i), 0x01000193) >>> 0;
    digest = Math.imul(digest ^ (digest >>> 16), 0x85ebca6b) >>> 0;
    digest = (digest ^ (digest >>> 13)) >>> 0;
    const slot = digest & (SLOTS - 1);
    if (table[slot] === digest) return true;
    table[slot] = digest;
    return false;
  };
}
