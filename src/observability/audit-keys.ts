import type { RotationPlan } from '../keys/rotation-plan.ts';
import type { AuditActor } from './audit-catalogue.ts';
import type { Audit } from './audit-log.ts';

/**
 * Audits what one rotation step did to the signing keys: `key.generated` for each new key,
 * `key.promoted` for each key that now signs, `key.retired` for each key it replaced and
 * `key.dropped` for each retired key taken out of the JWKS. Keys are named by stem (file name
 * or Redis id), never by their material.
 */
export function auditRotation(audit: Audit, plan: RotationPlan, actor: AuditActor, requestId?: string): void {
  const base = { actor, outcome: 'success', requestId } as const;
  for (const key of plan.generate) audit({ event: 'key.generated', ...base, target: `key:${key.stem}`, alg: key.alg });
  for (const { key, retired } of plan.promoted) {
    audit({ event: 'key.promoted', ...base, target: `key:${key.stem}`, alg: key.alg });
    for (const old of retired) audit({ event: 'key.retired', ...base, target: `key:${old.stem}`, alg: old.alg });
  }
  for (const key of plan.drop) audit({ event: 'key.dropped', ...base, target: `key:${key.stem}`, alg: key.alg });
}
