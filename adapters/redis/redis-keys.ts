/** The Redis key layout of the adapter, under one prefix. */
export function redisKeys(prefix: string) {
  return {
    /** A stored model instance: its JSON payload. */
    record: (model: string, id: string): string => `${prefix}${model}:${id}`,
    /** Set (to the time) when the record at `recordKey` is consumed; expires with it. */
    consumed: (recordKey: string): string => `${recordKey}:consumed`,
    /** The list of record keys of one grant (codes, tokens, sessions bound to it). */
    grantIndex: (grantId: string): string => `${prefix}grant-index:${grantId}`,
    /** Session uid → session id. */
    uid: (uid: string): string => `${prefix}uid:${uid}`,
    /** Device user code → device code id. */
    userCode: (userCode: string): string => `${prefix}user-code:${userCode}`,
  };
}
