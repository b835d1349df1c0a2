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
 * the paths taken out (the audit line names them, without their values).
 */
export function scrubAuditFields(fields: Record<string, unknown>): Scrubbed {
  const removed: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return JWT_VALUE.test(value) ? dropped(removed, path) : value;
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}[${i}]`)).filter((item) => item !== DROPPED);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (SECRET_NAME.test(key)) {
        removed.push(at);
        continue;
      }
      const kept = walk(inner, at);
      if (kept !== DROPPED) out[key] = kept;
    }
    return out;
  };
  return { fields: walk(fields, '') as Record<string, unknown>, removed };
}

const DROPPED = Symbol('dropped');

function dropped(removed: string[], path: string): typeof DROPPED {
  removed.push(path);
  return DROPPED;
}
