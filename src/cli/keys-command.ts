import { loadConfig } from '../config/load-config.ts';
import { GENERATABLE_ALGS, generatePinnedKeyFile } from '../keys/generate-key.ts';
import type { GeneratableAlg } from '../keys/generate-key.ts';
import { loadKeys } from '../keys/load-keys.ts';
import { rotateKeys, rotationTimings } from '../keys/rotate-keys.ts';
import type { RotationPlan } from '../keys/rotation-plan.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand, CliIo } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';

const USAGE = `usage: tessera keys generate --alg ${GENERATABLE_ALGS.join('|')} [--name NAME]
       tessera keys rotate [--immediately]
       tessera keys list
  generate  writes a new private key (PKCS#8 PEM, mode 0600) into CERTS_DIR; an RSA key is
            pinned to --alg in keys.json.
  rotate    one rotation step: publishes a next key; lets the oldest next key sign once it has
            been published for JWKS_MAX_AGE + KEYS_RELOAD_INTERVAL, retiring the active key;
            drops retired keys once every token they signed has expired.
            --immediately lets a new key sign now (for a compromised key).
  list      every key in CERTS_DIR with its kid, algorithms and state.`;

/** `tessera keys …`: key management through the same modules the server uses. */
export const keysCommand: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'generate':
      return generate(rest, io);
    case 'rotate': {
      const flags = parseFlags(rest, [], USAGE, ['immediately']);
      const config = loadConfig(io.env);
      const plan = await rotateKeys({ config, immediately: flags.immediately === 'true' });
      io.stdout.write(describePlan(plan, rotationTimings(config).retireAfter));
      return 0;
    }
    case 'list': {
      parseFlags(rest, [], USAGE);
      const config = loadConfig(io.env);
      const keys = await loadKeys({ dir: config.certsDir, passphrase: config.certsPassphrase });
      for (const key of keys.keys) {
        io.stdout.write(`${key.state.padEnd(8)}${key.kid}  ${key.algs.join(',')}  ${key.source}${key.since ? `  since ${key.since}` : ''}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown keys command: ${sub}` : 'missing keys command', USAGE);
  }
};

function generate(args: string[], io: CliIo): number {
  const flags = parseFlags(args, ['alg', 'name'], USAGE);
  const alg = flags.alg ?? 'ES256';
  if (!(GENERATABLE_ALGS as readonly string[]).includes(alg)) {
    throw new UsageError(`--alg must be one of ${GENERATABLE_ALGS.join(', ')} (got ${alg})`, USAGE);
  }
  if (flags.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(flags.name)) {
    throw new UsageError('--name may hold only letters, digits, dot, dash and underscore', USAGE);
  }
  const config = loadConfig(io.env);
  const { path, pinned } = generatePinnedKeyFile(config.certsDir, alg as GeneratableAlg, flags.name);
  io.stdout.write(`wrote ${alg} key ${path}${pinned ? ` (pinned to ${alg} in keys.json)` : ''}\n`);
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
