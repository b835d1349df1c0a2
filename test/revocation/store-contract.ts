import type { RevocationEntry } from '../../src/revocation/revocation-entry.ts';
import type { Clock, RevocationStore } from '../../src/revocation/revocation-store.ts';

/** What a contract run needs: a fresh store on a clock the test moves, and (for Redis) the TTLs of its keys. */
export interface StoreUnderTest {
  readonly store: RevocationStore;
  /** Seconds each key of the store still lives (-1 none); empty for a memory store. */
  readonly ttls?: () => Promise<number[]>;
}

/**
 * The contract of RevocationStore (src/revocation/revocation-store.ts), run against every
 * implementation: memory, Redis standalone and a real Redis Cluster.
 */
export function storeContract(name: string, make: (clock: Clock) => StoreUnderTest): void {
  describe(`revocation store contract: ${name}`, () => {
    let now = Math.floor(Date.now() / 1000);
    const clock: Clock = () => now;
    let subject: StoreUnderTest;
    const jti = (value: string, exp = now + 600): RevocationEntry => ({ claim: 'jti', value, exp });

    beforeEach(() => {
      now = Math.floor(Date.now() / 1000);
      subject = make(clock);
    });

    test('entries are read back in the order they were added, then nothing after the cursor', async () => {
      await subject.store.add([jti('a'), { claim: 'grant_ref', value: 'g', exp: now + 600 }]);
      await subject.store.add([{ claim: 'sub', value: 'u', exp: now + 600, iat_max: now }]);
      const page = await subject.store.read(0, 100);
      expect(page.entries).toEqual([jti('a'), { claim: 'grant_ref', value: 'g', exp: now + 600 }, { claim: 'sub', value: 'u', exp: now + 600, iat_max: now }]);
      expect(page.more).toBe(false);
      expect(page.since).toBe(0);
      const after = await subject.store.read(page.cursor, 100);
      expect(after).toEqual({ epoch: page.epoch, since: page.cursor, cursor: page.cursor, more: false, entries: [] });
    });

    test('an entry added again is one entry with the later exp and iat_max, moved to the end of the log', async () => {
      await subject.store.add([{ claim: 'client_id', value: 'c', exp: now + 900, iat_max: now - 10 }, jti('x')]);
      const first = await subject.store.read(0, 100);
      await subject.store.add([{ claim: 'client_id', value: 'c', exp: now + 600, iat_max: now }]);
      expect((await subject.store.read(first.cursor, 100)).entries).toEqual([{ claim: 'client_id', value: 'c', exp: now + 900, iat_max: now }]);
      expect((await subject.store.read(0, 100)).entries).toEqual([jti('x'), { claim: 'client_id', value: 'c', exp: now + 900, iat_max: now }]);
    });

    test('pages of at most `limit` entries carry every entry exactly once', async () => {
      await subject.store.add(Array.from({ length: 7 }, (_, i) => jti(`t${i}`)));
      const seen: string[] = [];
      let since = 0;
      for (let more = true, pages = 0; more; pages++) {
        const page = await subject.store.read(since, 3);
        expect(page.entries.length).toBeLessThanOrEqual(3);
        seen.push(...page.entries.map((e) => e.value));
        expect(page.cursor).toBeGreaterThan(since);
        ({ cursor: since, more } = page);
        expect(pages).toBeLessThan(4);
      }
      expect(seen).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
    });

    test('an expired entry is neither read nor matched', async () => {
      await subject.store.add([jti('short', now + 5), jti('long', now + 600)]);
      now += 10;
      expect((await subject.store.read(0, 100)).entries.map((e) => e.value)).toEqual(['long']);
      expect(await subject.store.isRevoked({ jti: 'short' })).toBe(false);
      expect(await subject.store.isRevoked({ jti: 'long' })).toBe(true);
    });

    test('isRevoked matches by jti, grant_ref, sub and client_id; iat_max bounds the issue time', async () => {
      await subject.store.add([
        jti('j1'),
        { claim: 'grant_ref', value: 'g1', exp: now + 600 },
        { claim: 'sub', value: 'u1', exp: now + 600, iat_max: now },
        { claim: 'client_id', value: 'c1', exp: now + 600, iat_max: now },
      ]);
      const token = { jti: 'other', sub: 'u2', client_id: 'c2', iat: now };
      expect(await subject.store.isRevoked(token)).toBe(false);
      expect(await subject.store.isRevoked({ ...token, jti: 'j1' })).toBe(true);
      expect(await subject.store.isRevoked({ ...token, grant_ref: 'g1' })).toBe(true);
      expect(await subject.store.isRevoked({ ...token, sub: 'u1' })).toBe(true);
      expect(await subject.store.isRevoked({ ...token, sub: 'u1', iat: now + 1 })).toBe(false);
      expect(await subject.store.isRevoked({ ...token, client_id: 'c1', iat: now - 100 })).toBe(true);
      expect(await subject.store.isRevoked({ ...token, client_id: 'c1', iat: now + 1 })).toBe(false);
      expect(await subject.store.isRevoked({ ...token, client_id: 'c1', iat: undefined })).toBe(false);
      expect(await subject.store.isRevoked({ jti: 1, sub: null })).toBe(false);
    });

    test('a parallel burst of adds keeps every entry, each with its own cursor', async () => {
      await Promise.all(Array.from({ length: 40 }, (_, i) => subject.store.add([jti(`p${i}`)])));
      const page = await subject.store.read(0, 1000);
      expect(new Set(page.entries.map((e) => e.value)).size).toBe(40);
      expect(page.cursor).toBe(40);
    });

    test('every key expires, no later than the longest entry it holds (plus a second)', async () => {
      await subject.store.add([jti('a', now + 100), jti('b', now + 300)]);
      for (const ttl of (await subject.ttls?.()) ?? []) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(301 + Math.ceil(Date.now() / 1000) - now);
      }
    });
  });
}
