import { basename } from 'node:path';

import { loadConfig } from '../config/load-config.ts';
import { copyKeys } from '../keys/copy-keys.ts';
import { fileKeyStore } from '../keys/file-key-store.ts';
import { algorithmPin } from '../keys/algorithm-pin.ts';
import { GENERATABLE_ALGS, generateKeyPem, generatePinnedKeyFile } from '../keys/generate-key.ts';
import type { GeneratableAlg } from '../keys/generate-key.ts';
import type { StoredKey } from '../keys/key-store.ts';
import { rotateKeys, rotationTimings } from '../keys/rotate-keys.ts';
import { auditRotation } from '../observability/audit-keys.ts';
import type { RotationPlan } from '../keys/rotation-plan.ts';
import { operator } from './cli-audit.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand, CliIo } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';
import { withKeyStore } from './with-key-store.ts';

const USAGE = `usage: tessera keys generate --alg ${GENERATABLE_ALGS.join('|')} [--name NAME]
       tessera keys rotate [--immediately]
       tessera keys list
       tessera keys import-dir [--dir DIR]
       tessera keys export-dir --dir DIR
  generate  writes a new private key (PKCS#8 PEM, mode 0600) into CERTS_DIR (or, with
            KEYS_STORE=redis, encrypted into Redis); an RSA key is pinned to --alg.
  rotate    one rotation step: publishes a next key; lets the oldest next key sign once it has
            been published for JWKS_MAX_AGE + KEYS_RELOAD_INTERVAL, retiring the active key;
            drops retired keys once every token they signed has expired.
            --immediately lets a new key sign now (for a compromised key).
  list      every key with its kid, algorithms and state.
  import-dir  copies the keys and states of CERTS_DIR (or --dir) into Redis (KEYS_STORE=redis).
  export-dir  writes the keys and states in Redis into the directory --dir (unencrypted PEM,
            mode 0600, with keys.json), for a move back to KEYS_STORE=files.`;

/** `tessera keys …`: key management through the same modules the server uses. */
export const keysCommand: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'generate':
      return generate(rest, io);
    case 'rotate': {
      const flags = parseFlags(rest, [], USAGE, ['immediately']);
      const config = loadConfig(io.env);
      const plan = await withKeyStore(config, (store) => rotateKeys({ config, store, immediately: flags.immediately === 'true' }));
      if (io.audit) auditRotation(io.audit, plan, operator());
      io.stdout.write(describePlan(plan, rotationTimings(config).retireAfter));
      return 0;
    }
    case 'list': {
      parseFlags(rest, [], USAGE);
      const config = loadConfig(io.env);
      const keys = await withKeyStore(config, (store) => store.load());
      for (const key of keys.keys) {
        io.stdout.write(`${key.state.padEnd(8)}${key.kid}  ${key.algs.join(',')}  ${key.source}${key.since ? `  since ${key.since}` : ''}\n`);
      }
      return 0;
    }
    case 'import-dir':
    case 'export-dir':
      return copyDir(sub, rest, io);
    default:
      throw new UsageError(sub ? `unknown keys command: ${sub}` : 'missing keys command', USAGE);
  }
};

async function generate(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, ['alg', 'name'], USAGE);
  const alg = flags.alg ?? 'ES256';
  if (!(GENERATABLE_ALGS as readonly string[]).includes(alg)) {
    throw new UsageError(`--alg must be one of ${GENERATABLE_ALGS.join(', ')} (got ${alg})`, USAGE);
  }
  if (flags.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(flags.name)) {
    throw new UsageError('--name may hold only letters, digits, dot, dash and underscore', USAGE);
  }
  const config = loadConfig(io.env);
  if (config.keysStore === 'redis') {
    const key: StoredKey = {
      stem: flags.name ?? `${alg.toLowerCase()}-${Date.now()}`,
      pem: generateKeyPem(alg as GeneratableAlg),
      certificates: [],
      entry: algorithmPin(alg as GeneratableAlg),
    };
    const [where] = await withKeyStore(config, (store) => store.add([key]));
    io.audit?.({ event: 'key.generated', actor: operator(), target: `key:${key.stem}`, outcome: 'success', alg });
    io.stdout.write(`wrote ${alg} key ${where}${key.entry.alg ? ` (pinned to ${alg})` : ''}\n`);
    return 0;
  }
  const { path, pinned } = generatePinnedKeyFile(config.certsDir, alg as GeneratableAlg, flags.name);
  io.audit?.({ event: 'key.generated', actor: operator(), target: `key:${basename(path).replace(/\.pem$/, '')}`, outcome: 'success', alg });
  io.stdout.write(`wrote ${alg} key ${path}${pinned ? ` (pinned to ${alg} in keys.json)` : ''}\n`);
  return 0;
}

/** `import-dir`: CERTS_DIR (or --dir) into Redis; `export-dir`: Redis into --dir. */
async function copyDir(sub: 'import-dir' | 'export-dir', args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, ['dir'], USAGE);
  if (sub === 'export-dir' && flags.dir === undefined) throw new UsageError('export-dir needs --dir DIR (a new or empty directory)', USAGE);
  const config = loadConfig(io.env);
  if (config.keysStore !== 'redis') throw new UsageError(`${sub} needs KEYS_STORE=redis (with REDIS_URL and KEYS_ENCRYPTION_KEY)`, USAGE);
  const dir = fileKeyStore({ dir: flags.dir ?? config.certsDir, passphrase: config.certsPassphrase });
  const written = await withKeyStore(config, (redis) => (sub === 'import-dir' ? copyKeys(dir, redis) : copyKeys(redis, dir)));
  io.stdout.write(`${written.map((where) => `copied ${where}`).join('\n')}\n`);
  return 0;
}

function describePlan(plan: RotationPlan, retireAfter: number): string {
  const lines: string[] = [];
  const iso = (ms: number): string => new Date(ms).toISOString();
  for (const key of plan.drop) lines.push(`dropped ${key.stem} (retired; every token it signed has expired)`);
  for (const { key, retired } of plan.promoted) {
    lines.push(`${key.stem} (${key.alg}) now signs`);
    for (const old of retired) lines.push(`retired ${old.stem}: published until ${iso(old.since! + retireAfter * 1000)}`);
  }
  const generated = new Set(plan.generate.map((k) => k.stem));
  for (const { key, signsFrom } of plan.waiting) {
    lines.push(`${generated.has(key.stem) ? 'published new key' : 'next key'} ${key.stem} (${key.alg}): may sign from ${iso(signsFrom)}`);
  }
  return `${lines.length ? lines.join('\n') : 'nothing to rotate'}\n`;
}
