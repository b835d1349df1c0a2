/** What an audit field may never be named: credentials, tokens, codes and their kin. */
const SECRET_NAME = /password|passphrase|secret|cookie|authorization|assertion|verifier|private_?key|(?:^|_)code$|(?:^|_)token$|^pem$/i;
/** A value shaped as a JWT (or JWE): whatever its field is called, a token. */
const JWT_VALUE = /^eyJ[\w-]*\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?$/;

/** The fields left of an audit event, and the paths of those taken out. */
export interface Scrubbed {
  readonly fields: Record<string, unknown>;
  readonly removed: readonly string[];
}

/**
 * Takes out of `fields`, at any depth, every field named as a secret (password, secret, token,
 * code, cookie, assertion, verifier, private key) and every value shaped as a JWT, so that no
 * audit event can carry one even when a caller passes one by mistake. Returns what is left and
 * the paths taken out (the audit line names them, without their values). An object or array
 * nothing was taken out of is returned as it came (the common case costs no copy); one that
 * lost a field is a copy, and `fields` itself is never changed.
 */
export function scrubAuditFields(fields: Record<string, unknown>): Scrubbed {
  const walk = new Walk();
  return { fields: walk.object(fields), removed: walk.removed };
}

const DROPPED = Symbol('dropped');

/** One scrub: the path to the value being read (joined only when something is taken out) and what was. */
class Walk {
  readonly removed: string[] = [];
  private readonly path: (string | number)[] = [];

  value(value: unknown): unknown {
    if (typeof value === 'string') return JWT_VALUE.test(value) ? this.drop() : value;
    if (!value || typeof value !== 'object') return value;
    return Array.isArray(value) ? this.array(value) : this.object(value as Record<string, unknown>);
  }

  object(value: Record<string, unknown>): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const inner = value[key];
      this.path.push(key);
      const kept = SECRET_NAME.test(key) ? this.drop() : this.value(inner);
      this.path.pop();
      if (kept === inner && !copy) continue;
      copy ??= copyOf(value, keys, i);
      if (kept !== DROPPED) copy[key] = kept;
    }
    return copy ?? value;
  }

  private array(value: readonly unknown[]): unknown[] {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const inner = value[i];
      this.path.push(i);
      const kept = this.value(inner);
      this.path.pop();
      if (kept === inner && !copy) continue;
      copy ??= value.slice(0, i);
      if (kept !== DROPPED) copy.push(kept);
    }
    return copy ?? (value as unknown[]);
  }

  private drop(): typeof DROPPED {
    this.removed.push(this.path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), ''));
    return DROPPED;
  }
}

/** A plain object holding `value`'s first `count` fields of `keys`. */
function copyOf(value: Record<string, unknown>, keys: readonly string[], count: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) copy[keys[i] as string] = value[keys[i] as string];
  return copy;
}
