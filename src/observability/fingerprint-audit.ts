import type { KeySet } from '../keys/load-keys.ts';
import type { Audit } from './audit-log.ts';
import type { Fingerprint } from './config-fingerprint.ts';

/** The `config.fingerprint` audit events of one instance: the one it starts with, and each change a swap of its keys brings. */
export interface FingerprintAudit {
  /** Audits the fingerprint the instance starts with. */
  readonly initial: () => void;
  /** Audits the fingerprint after a swap of the engine, when it differs from the one before. */
  readonly swapped: (keys: KeySet) => void;
}

/** Keeps the instance's last fingerprint, so that only a change of it is audited. */
export function fingerprintAudit(fingerprint: (keys: KeySet) => Fingerprint, initialKeys: KeySet, audit: Audit): FingerprintAudit {
  let shared = fingerprint(initialKeys);
  return {
    initial: () => audit({ event: 'config.fingerprint', actor: 'system', target: 'instance', outcome: 'initial', fingerprint: shared }),
    swapped: (keys) => {
      const next = fingerprint(keys);
      if (next.config !== shared.config || next.keys !== shared.keys) {
        audit({ event: 'config.fingerprint', actor: 'system', target: 'instance', outcome: 'changed', fingerprint: next, previous: shared });
      }
      shared = next;
    },
  };
}
