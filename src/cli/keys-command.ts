import { loadConfig } from '../config/load-config.ts';
import { GENERATABLE_ALGS, generateKeyFile } from '../keys/generate-key.ts';
import type { GeneratableAlg } from '../keys/generate-key.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';

const USAGE = `usage: tessera keys generate --alg ${GENERATABLE_ALGS.join('|')} [--name NAME]
  Writes a new private key (PKCS#8 PEM, mode 0600) into CERTS_DIR.`;

/** `tessera keys …`: key management through the same modules the server uses. */
export const keysCommand: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== 'generate') throw new UsageError(sub ? `unknown keys command: ${sub}` : 'missing keys command', USAGE);
  const flags = parseFlags(rest, ['alg', 'name'], USAGE);
  const alg = flags.alg ?? 'ES256';
  if (!(GENERATABLE_ALGS as readonly string[]).includes(alg)) {
    throw new UsageError(`--alg must be one of ${GENERATABLE_ALGS.join(', ')} (got ${alg})`, USAGE);
  }
  if (flags.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(flags.name)) {
    throw new UsageError('--name may hold only letters, digits, dot, dash and underscore', USAGE);
  }
  const config = loadConfig(io.env);
  const path = generateKeyFile(config.certsDir, alg as GeneratableAlg, flags.name);
  io.stdout.write(`wrote ${alg} key ${path}\n`);
  return 0;
};
