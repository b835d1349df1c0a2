/**
 * Who did it: `user:<sub>`, `client:<client_id>`, `operator:<os user>` (the CLI), `system`
 * (Tessera itself, e.g. a scheduled rotation) or `anonymous` (a sign-in not yet tied to a user).
 */
export type AuditActor = `user:${string}` | `client:${string}` | `operator:${string}` | 'system' | 'anonymous';

/** The two parts of a configuration fingerprint (as config-fingerprint.ts computes them). */
interface Fingerprint {
  readonly config: string;
  readonly keys: string;
}

/** The key of a rotation event: its stem (file name or Redis id) and algorithm. */
interface KeyFields {
  readonly alg: string;
}

/**
 * The audit catalogue: each event's name → its fields besides actor, target, outcome and
 * requestId. The README's audit table documents exactly these events.
 */
export interface AuditCatalogue {
  'login.success': { outcome: 'success'; fields: { user: string; ip: string } };
  'login.failed': { outcome: 'failure'; fields: { user: string; ip: string; failures: Record<string, number> } };
  'login.throttled': { outcome: 'refused'; fields: { user: string; ip: string; retryAfter: number; lockedBy: readonly string[] } };
  'consent.given': { outcome: 'success'; fields: { grantId: string; scope: string } };
  'consent.denied': { outcome: 'denied'; fields: Record<never, never> };
  logout: { outcome: 'success'; fields: { sid?: string | undefined } };
  'refresh_token.reused': { outcome: 'refused'; fields: { sub?: string | undefined } };
  'grant.revoked': { outcome: 'success'; fields: { reason: 'revocation' | 'refresh_token_reuse' | 'logout' | 'code_reuse' | 'other' } };
  'token.revoked': { outcome: 'success'; fields: { kind: string; jti?: string | undefined; tokens?: number | undefined } };
  'token.exchanged': { outcome: 'issued'; fields: ExchangeFields };
  'token.exchange_refused': { outcome: 'refused'; fields: ExchangeFields };
  'client.auth_failed': { outcome: 'failure'; fields: { endpoint: string; reason: string } };
  'key.generated': { outcome: 'success'; fields: KeyFields };
  'key.promoted': { outcome: 'success'; fields: KeyFields };
  'key.retired': { outcome: 'success'; fields: KeyFields };
  'key.dropped': { outcome: 'success'; fields: KeyFields };
  'config.fingerprint': { outcome: 'initial' | 'changed'; fields: { fingerprint: Fingerprint; previous?: Fingerprint | undefined } };
  'fleet.mismatch': {
    outcome: 'mismatch';
    fields: { instance: string; fingerprint: Fingerprint; mismatched: readonly { instance: string; differs: readonly string[] }[] };
  };
  'fleet.consistent': { outcome: 'consistent'; fields: { instance: string; instances: number } };
  'admin.audit': { outcome: 'success' | 'failure'; fields: { action: string; status: number } };
  'cli.change': { outcome: 'success' | 'failure'; fields: { command: string; exitCode: number } };
}

/** What a token exchange names: its parties, target and scope, never a token. */
export interface ExchangeFields {
  readonly client_id: string;
  readonly sub?: string | undefined;
  readonly act?: unknown;
  readonly audience?: string | undefined;
  readonly resource?: string | undefined;
  readonly scope?: string | undefined;
  readonly expires_in?: number | undefined;
  readonly error?: string | undefined;
  readonly error_description?: string | undefined;
}

export type AuditEventName = keyof AuditCatalogue;

/** One audit event: its name, actor, target, outcome and request id, and the fields its catalogue entry lists. */
export type AuditEvent = {
  [E in AuditEventName]: {
    readonly event: E;
    readonly actor: AuditActor;
    /** What was acted on, as `kind:id` (`client:webapp`, `grant:…`, `key:es256-1`), or `fleet`. */
    readonly target: string;
    readonly outcome: AuditCatalogue[E]['outcome'];
    /** The request id (X-Request-Id) of the request that caused it; absent for what no request caused. */
    readonly requestId?: string | undefined;
  } & AuditCatalogue[E]['fields'];
}[AuditEventName];

/** Events written as warnings: failures and refusals an operator should look at. */
export const WARNING_EVENTS: ReadonlySet<AuditEventName> = new Set<AuditEventName>([
  'login.failed',
  'login.throttled',
  'refresh_token.reused',
  'token.exchange_refused',
  'client.auth_failed',
  'fleet.mismatch',
]);

const EVERY_EVENT: Record<AuditEventName, true> = {
  'login.success': true,
  'login.failed': true,
  'login.throttled': true,
  'consent.given': true,
  'consent.denied': true,
  logout: true,
  'refresh_token.reused': true,
  'grant.revoked': true,
  'token.revoked': true,
  'token.exchanged': true,
  'token.exchange_refused': true,
  'client.auth_failed': true,
  'key.generated': true,
  'key.promoted': true,
  'key.retired': true,
  'key.dropped': true,
  'config.fingerprint': true,
  'fleet.mismatch': true,
  'fleet.consistent': true,
  'admin.audit': true,
  'cli.change': true,
};

/** Every event of the catalogue, by name (the README's audit table lists exactly these). */
export const AUDIT_EVENT_NAMES = Object.keys(EVERY_EVENT) as readonly AuditEventName[];
