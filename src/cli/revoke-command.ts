import { createRedisAdapter } from '../../adapters/redis/index.ts';
import { loadConfig } from '../config/load-config.ts';
import { redisRevocations } from '../revocation/redis-revocations.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { longestTokenLifetime } from '../revocation/token-lifetime.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';
import { withRedis } from './with-redis.ts';

const USAGE = `usage: tessera revoke --grant <grant id> | --sub <subject> | --client <client_id> | --jti <jti>
  --grant   ends the grant: its refresh tokens and codes are deleted, its access tokens revoked
  --sub     revokes every access token of the subject (a user's sub, or a client's own tokens) issued until now
  --client  revokes every access token held by the client (client_id) or of it (sub) issued until now
  --jti     revokes one access token`;

const KINDS = ['grant', 'sub', 'client', 'jti'] as const;

function parse(args: string[]): { kind: (typeof KINDS)[number]; value: string } {
  const flags = parseFlags(args, [...KINDS], USAGE);
  const given = KINDS.filter((kind) => flags[kind] !== undefined);
  if (given.length !== 1)
    throw new UsageError(given.length ? `give one of ${given.map((k) => `--${k}`).join(', ')}, not several` : 'say what to revoke', USAGE);
  const kind = given[0]!;
  const value = flags[kind]!.trim();
  if (!value) throw new UsageError(`--${kind} needs a value`, USAGE);
  return { kind, value };
}

/** `tessera revoke …`: the operator ends a grant, a subject's or a client's tokens, or one token, across the fleet. */
export const revokeCommand: CliCommand = async (args, io) => {
  const { kind, value } = parse(args);
  const config = loadConfig(io.env);
  return withRedis(config, 'revocations', async (redis) => {
    const revocations: Revocations = redisRevocations(config, redis);
    if (kind === 'grant') {
      const adapter = createRedisAdapter({ redis, prefix: config.redisKeyPrefix, onGrantEnd: (grantId) => revocations.revokeGrant(grantId) });
      // The Grant first: its destruction writes the revocation entry before any record goes.
      await new adapter('Grant').destroy(value);
      await new adapter('RefreshToken').revokeByGrantId(value);
      io.stdout.write(`revoked grant ${value}: its refresh tokens are deleted and its access tokens revoked\n`);
    } else if (kind === 'jti') {
      await revocations.revokeTokens([{ jti: value, exp: Math.floor(Date.now() / 1000) + longestTokenLifetime(config) }]);
      io.stdout.write(`revoked the access token ${value}\n`);
    } else {
      await (kind === 'sub' ? revocations.revokeSubject(value) : revocations.revokeClient(value));
      io.stdout.write(`revoked every access token ${kind === 'sub' ? 'of subject' : 'held by or of client'} ${value} issued until now\n`);
    }
    return 0;
  });
};
