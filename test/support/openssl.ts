import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs the openssl command line tool (as operators make keys) in `dir`. */
export function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes `<name>.key` (PKCS#8) and a self-signed `<name>.crt` for it with openssl. */
export function makeKeyAndCertificate(dir: string, name: string, kind: 'rsa' | 'ec' | 'ed25519'): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const algorithm = {
    rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    ed25519: ['-algorithm', 'ED25519'],
  }[kind];
  openssl(dir, ['genpkey', ...algorithm, '-out', key]);
  openssl(dir, ['req', '-x509', '-new', '-key', key, '-subj', `/CN=${name}`, '-days', '30', '-out', cert]);
  return { key, cert };
}
