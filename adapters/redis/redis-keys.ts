/**
 * The Redis key layout of the adapter, under one prefix. Every key carries a Redis Cluster hash
 * tag: a record of a grant family (any record with a `grantId`, and the Grant itself) lives in
 * the family's slot `{g:<grantId>}` with its consumed marker and the family index, so each
 * multi-key operation on a family is single-slot; every other record has a slot of its own.
 */
export function redisKeys(prefix: string) {
  return {
    /** Where a record is found by model and id: the record itself, or `@<grantId>` for a family member. */
    entry: (model: string, id: string): string => `${prefix}{${model}:${id}}`,
    /** A family member's record. */
    member: (grantId: string, model: string, id: string): string => `${prefix}{g:${grantId}}:${model}:${id}`,
    /** The list of a family's member keys. */
    index: (grantId: string): string => `${prefix}{g:${grantId}}:index`,
    /** The Grant record of a family. */
    grant: (grantId: string): string => `${prefix}{g:${grantId}}:Grant`,
    /** Set (to the time) when the record at `recordKey` is consumed; same slot, expires with it. */
    consumed: (recordKey: string): string => `${recordKey}:consumed`,
    /** Session uid → session id. */
    uid: (uid: string): string => `${prefix}{uid:${uid}}`,
    /** Device user code → device code id. */
    userCode: (userCode: string): string => `${prefix}{user-code:${userCode}}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Marks an entry that points into a grant family. JSON payloads never start with it. */
export const FAMILY_POINTER = '@';
