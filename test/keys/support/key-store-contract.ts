import { setTimeout as sleep } from 'node:timers/promises';

import { loadConfig } from '../../../src/config/load-config.ts';
import { generateKeyPem } from '../../../src/keys/generate-key.ts';
import type { KeyStore, StoredKey } from '../../../src/keys/key-store.ts';
import { RotationBusyError } from '../../../src/keys/key-store.ts';
import { rotateKeys } from '../../../src/keys/rotate-keys.ts';

/** Two handles on one fresh, empty key store (as two instances see it), and how to close them. */
export interface KeyStoreFixture {
  readonly store: KeyStore;
  readonly other: KeyStore;
  close(): Promise<void>;
}

const config = loadConfig({ JWKS_MAX_AGE: '1', KEYS_RELOAD_INTERVAL: '0', CONFIG_FILE: '' });

const key = (stem: string, entry: StoredKey['entry'] = {}): StoredKey => ({ stem, pem: generateKeyPem('ES256'), certificates: [], entry });

/** The contract of src/keys/key-store.ts, run against every implementation. */
export function keyStoreContract(name: string, make: () => Promise<KeyStoreFixture>): void {
  describe(`key store contract: ${name}`, () => {
    let fixture: KeyStoreFixture;
    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(() => fixture.close());

    test('an empty store holds no key; added keys load with their states on every handle', async () => {
      expect(await fixture.store.hasKeys()).toBe(false);
      await fixture.store.add([key('one'), key('two', { state: 'next', since: '2026-01-01T00:00:00.000Z' })]);
      expect(await fixture.other.hasKeys()).toBe(true);
      const loaded = await fixture.other.load();
      expect(loaded.keys.map((k) => [k.stem, k.state, k.since])).toEqual([
        ['one', 'active', undefined],
        ['two', 'next', '2026-01-01T00:00:00.000Z'],
      ]);
      expect(loaded.jwks.keys.every((jwk) => !('d' in jwk))).toBe(true);
      const manifest = await fixture.other.readManifest();
      expect([manifest.one ?? {}, manifest.two]).toEqual([{}, { state: 'next', since: '2026-01-01T00:00:00.000Z' }]);
    });

    test('adding a name that exists changes nothing', async () => {
      await fixture.store.add([key('one')]);
      const before = (await fixture.store.load()).keys.map((k) => k.kid);
      await expect(fixture.other.add([key('fresh'), key('one')])).rejects.toThrow(/already holds a key named one/);
      expect((await fixture.store.load()).keys.map((k) => k.kid)).toEqual(before);
    });

    test('a rotation publishes a next key, then lets it sign and retires the old one', async () => {
      await fixture.store.add([key('first')]);
      const now = Date.now();
      const published = await rotateKeys({ config, store: fixture.store, now });
      expect(published.generate).toHaveLength(1);
      const next = published.generate[0]!.stem;
      expect((await fixture.other.load()).keys.map((k) => [k.stem, k.state])).toEqual([
        ['first', 'active'],
        [next, 'next'],
      ]);
      const promoted = await rotateKeys({ config, store: fixture.other, now: now + 2000 });
      expect(promoted.promoted.map((p) => p.key.stem)).toEqual([next]);
      const states = Object.fromEntries((await fixture.store.load()).keys.map((k) => [k.stem, k.state]));
      expect(states).toEqual({ first: 'retired', [next]: 'active', [promoted.generate[0]!.stem]: 'next' });
    });

    test('of a burst of rotations at once, one runs and the others are told another is running', async () => {
      await fixture.store.add([key('first')]);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? fixture.store : fixture.other).rotating(async () => {
            await sleep(100);
            return 'done';
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof RotationBusyError)).toBe(true);
      await expect(fixture.store.rotating(async () => 'again')).resolves.toBe('again');
    });

    test('a change made through one handle is reported to a watcher on the other', async () => {
      await fixture.store.add([key('first')]);
      await fixture.other.load();
      let changes = 0;
      const stop = fixture.other.watch(1, () => {
        changes++;
      });
      try {
        await sleep(300);
        await rotateKeys({ config, store: fixture.store });
        for (const deadline = Date.now() + 5000; !changes && Date.now() < deadline; ) await sleep(50);
        expect(changes).toBeGreaterThan(0);
      } finally {
        await stop();
      }
    });
  });
}
