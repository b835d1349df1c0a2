import { createRedisAdapter } from '../../adapters/redis/index.ts';
import { loadConfig } from '../config/load-config.ts';
import type { ClientMetadata } from '../config/schema.ts';
import { ClientMetadataError, createStoredClients } from '../provider/stored-clients.ts';
import { redisRevocations } from '../revocation/redis-revocations.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';
import { withRedis } from './with-redis.ts';

const USAGE = `usage: tessera clients add <client_id> [--name N] [--grant-types a,b] [--redirect-uris u1,u2]
                          [--post-logout-redirect-uris u1,u2] [--scope "s1 s2"] [--public]
                          [--token-exchange '<policy JSON>'] [--embed '<JSON list>'] [--pkce-optional]
                          [--require-par]
       tessera clients list
       tessera clients show|remove|reset-secret <client_id>
  Clients added here live in Redis beside the static clients of CONFIG_FILE. A confidential
  client's secret is generated and printed once. --pkce-optional (pkce_required false) lets a
  confidential client leave out PKCE in OpenID requests with a nonce; public clients always use it.
  --require-par (require_pushed_authorization_requests) makes the client push its authorization
  requests to /request first (RFC 9126). Removing a client or resetting its secret revokes
  every access token it holds.`;

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((v) => v.trim()).filter(Boolean);

function json(flag: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  try {
    return { [flag.replace('-', '_')]: JSON.parse(value) as unknown };
  } catch {
    throw new UsageError(`--${flag} must be JSON, e.g. '{"targets":[{"audience":"payments","scope":"payments"}]}'`, USAGE);
  }
}

function parse(args: string[]): { sub: string; clientId?: string; metadata?: ClientMetadata } {
  const [sub, clientId, ...rest] = args;
  if (sub === 'list') {
    if (args.length > 1) throw new UsageError(`unexpected argument: ${args[1]}`, USAGE);
    return { sub };
  }
  if (!sub || !['add', 'show', 'remove', 'reset-secret'].includes(sub)) throw new UsageError(sub ? `unknown clients command: ${sub}` : 'missing clients command', USAGE);
  if (!clientId || clientId.startsWith('--')) throw new UsageError('missing <client_id>', USAGE);
  if (sub !== 'add') {
    if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`, USAGE);
    return { sub, clientId };
  }
  const flags = parseFlags(rest, ['name', 'grant-types', 'redirect-uris', 'post-logout-redirect-uris', 'scope', 'token-exchange', 'embed'],
    USAGE, ['public', 'pkce-optional', 'require-par']);
  const grantTypes = list(flags['grant-types']) ?? ['authorization_code', 'refresh_token'];
  const metadata = {
    client_id: clientId,
    ...(flags.name ? { client_name: flags.name } : {}),
    grant_types: grantTypes,
    redirect_uris: list(flags['redirect-uris']) ?? [],
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    ...(flags['post-logout-redirect-uris'] ? { post_logout_redirect_uris: list(flags['post-logout-redirect-uris']) } : {}),
    ...(flags.scope ? { scope: flags.scope } : {}),
    ...json('token-exchange', flags['token-exchange']),
    ...json('embed', flags.embed),
    token_endpoint_auth_method: flags.public ? 'none' : 'client_secret_basic',
    ...(flags['pkce-optional'] ? { pkce_required: false } : {}),
    ...(flags['require-par'] ? { require_pushed_authorization_requests: true } : {}),
  } as ClientMetadata;
  return { sub, clientId, metadata };
}

/** Revokes the client's tokens once it can get no new ones with its old credentials; says what to run again if that fails. */
async function revokeTokensOf(revocations: Revocations, clientId: string): Promise<void> {
  try {
    await revocations.revokeClient(clientId);
  } catch (err) {
    throw new Error(`the client's credentials changed, but its access tokens could not be revoked (${(err as Error).message}); run: tessera revoke --client ${clientId}`);
  }
}

/** `tessera clients …`: clients kept in Redis, through the same store the servers read. */
export const clientsCommand: CliCommand = async (args, io) => {
  const action = parse(args);
  const config = loadConfig(io.env);
  return withRedis(config, 'clients', async (redis) => {
    const clients = createStoredClients({ redis, prefix: config.redisKeyPrefix, adapter: createRedisAdapter({ redis, prefix: config.redisKeyPrefix }),
      staticIds: config.clients.map((c) => c.client_id) });
    const revocations = redisRevocations(config, redis);
    try {
      if (action.sub === 'add') {
        const { client, secret } = await clients.add(action.metadata!);
        io.stdout.write(`added client ${client.client_id}\n${secret ? `client_secret: ${secret}\n(shown once: store it now)\n` : 'public client (PKCE, no secret)\n'}`);
      } else if (action.sub === 'list') {
        for (const id of await clients.list()) io.stdout.write(`${id}\n`);
      } else if (action.sub === 'show') {
        const client = await clients.show(action.clientId!);
        if (!client) throw new Error(`no client ${action.clientId} in Redis`);
        io.stdout.write(`${JSON.stringify(client, null, 2)}\n`);
      } else if (action.sub === 'reset-secret') {
        const secret = await clients.resetSecret(action.clientId!);
        if (!secret) throw new Error(`no client ${action.clientId} in Redis`);
        await revokeTokensOf(revocations, action.clientId!);
        io.stdout.write(`reset the secret of client ${action.clientId}; every access token it holds is revoked\nclient_secret: ${secret}\n(shown once: store it now)\n`);
      } else {
        if (!(await clients.remove(action.clientId!))) throw new Error(`no client ${action.clientId} in Redis`);
        await revokeTokensOf(revocations, action.clientId!);
        io.stdout.write(`removed client ${action.clientId}; every access token it holds is revoked\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof ClientMetadataError) throw new Error(`invalid client: ${err.message}`);
      throw err;
    }
  });
};
