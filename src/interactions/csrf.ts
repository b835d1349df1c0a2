import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for interaction forms: an HMAC of the interaction id under the first cookie key,
 * so every instance can check a token another instance issued, and a token is good for one
 * interaction only.
 */
export function createCsrf(cookieKeys: readonly string[]) {
  const sign = (key: string, uid: string): string => createHmac('sha256', key).update(`csrf:${uid}`).digest('base64url');
  return {
    token: (uid: string): string => sign(cookieKeys[0]!, uid),
    verify(uid: string, token: string | null): boolean {
      if (!token) return false;
      const given = Buffer.from(token);
      return cookieKeys.some((key) => {
        const expected = Buffer.from(sign(key, uid));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
