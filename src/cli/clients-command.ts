import { removeClient, revokeTokensOf } from '../admin/client-operations.ts';
import { loadConfig } from '../config/load-config.ts';
import type { ClientMetadata } from '../config/client-schema.ts';
import { ADMIN_SCOPES } from '../provider/admin-audience.ts';
import { generateClientSecret, hashClientSecret } from '../provider/client-secret-hash.ts';
import { openStoredClients } from '../provider/open-stored-clients.ts';
import { ClientMetadataError, ClientNotFoundError } from '../provider/stored-client-errors.ts';
import { redisRevocations } from '../revocation/redis-revocations.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';
import { withRedis } from './with-redis.ts';

const USAGE = `usage: tessera clients add <client_id> [--name N] [--grant-types a,b] [--redirect-uris u1,u2]
                          [--post-logout-redirect-uris u1,u2] [--scope "s1 s2"] [--public]
                          [--token-exchange '<policy JSON>'] [--embed '<JSON list>'] [--pkce-optional]
                          [--require-par] [--admin]
       tessera clients list
       tessera clients show|remove|reset-secret <client_id>
       tessera clients rotate-secret <client_id>
       tessera clients hash-secret
  Clients added here live in Redis beside the static clients of CONFIG_FILE. A confidential
  client's secret is generated and printed once; Redis keeps only its hash. rotate-secret
  prints a new one; the old one works for CLIENT_SECRET_ROTATION_GRACE seconds more.
  hash-secret prints a new secret and the client_secret_hash to put in CONFIG_FILE instead.
  --admin: also grants the admin API scopes (admin:clients admin:users admin:sessions admin:keys)
  for client_credentials tokens of the tessera-admin audience. --pkce-optional (pkce_required
  false) lets a confidential client leave out PKCE in OpenID requests with a nonce; public clients
  always use it. --require-par (require_pushed_authorization_requests) makes the client push its
  authorization requests to /request first (RFC 9126). reset-secret replaces the secret at
  once (no grace). Removing a client or resetting its secret revokes every access token it holds.`;

const list = (value: string | undefined): string[] | undefined =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);

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
  if (sub === 'list' || sub === 'hash-secret') {
    if (args.length > 1) throw new UsageError(`unexpected argument: ${args[1]}`, USAGE);
    return { sub };
  }
  if (!sub || !['add', 'show', 'remove', 'rotate-secret', 'reset-secret'].includes(sub))
    throw new UsageError(sub ? `unknown clients command: ${sub}` : 'missing clients command', USAGE);
  if (!clientId || clientId.startsWith('--')) throw new UsageError('missing <client_id>', USAGE);
  if (sub !== 'add') {
    if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`, USAGE);
    return { sub, clientId };
  }
  const flags = parseFlags(rest, ['name', 'grant-types', 'redirect-uris', 'post-logout-redirect-uris', 'scope', 'token-exchange', 'embed'], USAGE, [
    'public',
    'admin',
    'pkce-optional',
    'require-par',
  ]);
  const grantTypes = list(flags['grant-types']) ?? (flags.admin ? ['client_credentials'] : ['authorization_code', 'refresh_token']);
  const scope = [flags.scope, flags.admin ? ADMIN_SCOPES.join(' ') : undefined].filter(Boolean).join(' ');
  const metadata = {
    client_id: clientId,
    ...(flags.name ? { client_name: flags.name } : {}),
    grant_types: grantTypes,
    redirect_uris: list(flags['redirect-uris']) ?? [],
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    ...(flags['post-logout-redirect-uris'] ? { post_logout_redirect_uris: list(flags['post-logout-redirect-uris']) } : {}),
    ...(scope ? { scope } : {}),
    ...json('token-exchange', flags['token-exchange']),
    ...json('embed', flags.embed),
    token_endpoint_auth_method: flags.public ? 'none' : 'client_secret_basic',
    ...(flags['pkce-optional'] ? { pkce_required: false } : {}),
    ...(flags['require-par'] ? { require_pushed_authorization_requests: true } : {}),
  } as ClientMetadata;
  return { sub, clientId, metadata };
}

/** `tessera clients …`: clients kept in Redis, through the same store the servers read. */
export const clientsCommand: CliCommand = async (args, io) => {
  const action = parse(args);
  const config = loadConfig(io.env);
  if (action.sub === 'hash-secret') {
    const secret = generateClientSecret();
    io.stdout.write(`client_secret: ${secret}\nclient_secret_hash: ${hashClientSecret(secret)}\n`);
    return 0;
  }
  return withRedis(config, 'clients', async (redis) => {
    const clients = openStoredClients(config, redis);
    const revocations = redisRevocations(config, redis);
    try {
      if (action.sub === 'add') {
        const { client, secret } = await clients.add(action.metadata!);
        io.stdout.write(
          `added client ${client.client_id}\n${secret ? `client_secret: ${secret}\n(shown once: store it now)\n` : 'public client (PKCE, no secret)\n'}`,
        );
      } else if (action.sub === 'list') {
        for (const id of await clients.list()) io.stdout.write(`${id}\n`);
      } else if (action.sub === 'show') {
        const client = await clients.show(action.clientId!);
        if (!client) throw new Error(`no client ${action.clientId} in Redis`);
        io.stdout.write(`${JSON.stringify(client, null, 2)}\n`);
      } else if (action.sub === 'rotate-secret') {
        const { secret, previousValidUntil } = await clients.rotateSecret(action.clientId!, config.clientSecretRotationGrace);
        const until = previousValidUntil
          ? `the previous secret works until ${new Date(previousValidUntil * 1000).toISOString()}`
          : 'the previous secret no longer works';
        io.stdout.write(`rotated the secret of ${action.clientId}\nclient_secret: ${secret}\n(shown once: store it now; ${until})\n`);
      } else if (action.sub === 'reset-secret') {
        const secret = await clients.resetSecret(action.clientId!);
        if (!secret) throw new Error(`no client ${action.clientId} in Redis`);
        await revokeTokensOf(revocations, action.clientId!);
        io.stdout.write(
          `reset the secret of client ${action.clientId}; every access token it holds is revoked\nclient_secret: ${secret}\n(shown once: store it now)\n`,
        );
      } else {
        if (!(await removeClient({ clients, revocations }, action.clientId!))) throw new Error(`no client ${action.clientId} in Redis`);
        io.stdout.write(`removed client ${action.clientId}; every access token it holds is revoked\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof ClientMetadataError) throw new Error(`invalid client: ${err.message}`);
      if (err instanceof ClientNotFoundError) throw new Error(err.message);
      throw err;
    }
  });
};
