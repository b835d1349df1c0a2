import type { Context } from 'koa';

import type { ClientMetadata } from '../config/client-schema.ts';
import { ClientChangedError } from '../provider/client-compare-and-set.ts';
import { ClientConflictError, ClientMetadataError, ClientNotFoundError } from '../provider/stored-client-errors.ts';
import type { StoredClients } from '../provider/stored-clients.ts';
import type { Revocations } from '../revocation/revocations.ts';
import type { AdminRoute } from './admin-router.ts';
import { removeClient } from './client-operations.ts';
import { pageOf, pageRequest } from './paginate.ts';
import { checkIfMatch, etag, preconditionFailed, requireIfMatch } from './preconditions.ts';
import { AdminProblem } from './problem.ts';
import { readJson } from './read-json.ts';

const SCOPE = 'admin:clients';
const target = (params: Record<string, string>): string => `client:${params.client_id}`;

/** Maps the store's errors onto problems: 404, 409, 412 (naming the revision now), or 400 with every problem of the metadata. */
async function mapped<T>(work: () => Promise<T>, clients?: StoredClients, clientId?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ClientChangedError) throw preconditionFailed((await current(clients!, clientId!)).revision);
    if (err instanceof ClientNotFoundError) throw new AdminProblem(404, err.message);
    if (err instanceof ClientConflictError) throw new AdminProblem(409, err.problems[0]!);
    if (err instanceof ClientMetadataError) throw new AdminProblem(400, 'the client metadata is not valid', { errors: err.problems });
    throw err;
  }
}

async function current(clients: StoredClients, clientId: string) {
  const found = await clients.read(clientId);
  if (!found) throw new AdminProblem(404, `no client ${clientId} in Redis`);
  return found;
}

function send(ctx: Context, status: number, body: unknown, revision?: string): void {
  ctx.status = status;
  ctx.body = body;
  if (revision) ctx.set('ETag', etag(revision));
}

/** The clients area: stored clients (CONFIG_FILE clients are not managed here). */
export function clientRoutes({
  clients,
  rotationGrace,
  revocations,
}: {
  clients: StoredClients;
  rotationGrace: number;
  revocations?: Pick<Revocations, 'revokeClient'> | undefined;
}): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/clients',
      scope: SCOPE,
      async handle(ctx) {
        const page = pageOf(await clients.list(), pageRequest(ctx));
        const items = (await Promise.all(page.ids.map((id) => clients.show(id)))).filter((c) => c !== undefined);
        send(ctx, 200, { items, ...(page.next ? { next_cursor: page.next } : {}) });
      },
    },
    {
      method: 'POST',
      path: '/clients',
      scope: SCOPE,
      audit: { action: 'client.create', target: () => 'client' },
      async handle(ctx) {
        const body = await readJson(ctx);
        const { client, secret } = await mapped(() => clients.add(body as ClientMetadata));
        const clientId = client.client_id as string;
        ctx.set('Location', `${ctx.path}/${encodeURIComponent(clientId)}`);
        const { revision } = await current(clients, clientId);
        send(ctx, 201, { client, ...(secret ? { client_secret: secret } : {}) }, revision);
      },
    },
    {
      method: 'GET',
      path: '/clients/{client_id}',
      scope: SCOPE,
      async handle(ctx, params) {
        const { client, revision } = await current(clients, params.client_id!);
        send(ctx, 200, client, revision);
      },
    },
    {
      method: 'PUT',
      path: '/clients/{client_id}',
      scope: SCOPE,
      audit: { action: 'client.update', target },
      async handle(ctx, params) {
        const clientId = params.client_id!;
        const expected = requireIfMatch(ctx, (await current(clients, clientId)).revision);
        const { client_id: named, ...body } = await readJson(ctx);
        if (named !== undefined && named !== clientId)
          throw new AdminProblem(400, 'client_id cannot be changed', { errors: [`client_id: must be ${clientId}`] });
        await mapped(() => clients.update(clientId, body as Omit<ClientMetadata, 'client_id'>, expected), clients, clientId);
        const updated = await current(clients, clientId);
        send(ctx, 200, updated.client, updated.revision);
      },
    },
    {
      method: 'DELETE',
      path: '/clients/{client_id}',
      scope: SCOPE,
      audit: { action: 'client.delete', target },
      async handle(ctx, params) {
        const expected = checkIfMatch(ctx, (await current(clients, params.client_id!)).revision);
        if (!(await mapped(() => removeClient({ clients, revocations }, params.client_id!, expected), clients, params.client_id!))) {
          throw new AdminProblem(404, `no client ${params.client_id} in Redis`);
        }
        ctx.status = 204;
      },
    },
    {
      method: 'POST',
      path: '/clients/{client_id}/secret',
      scope: SCOPE,
      audit: { action: 'client.rotate_secret', target },
      async handle(ctx, params) {
        const { secret, previousValidUntil } = await mapped(() => clients.rotateSecret(params.client_id!, rotationGrace));
        const { revision } = await current(clients, params.client_id!);
        send(
          ctx,
          200,
          { client_secret: secret, previous_secret_valid_until: previousValidUntil ? new Date(previousValidUntil * 1000).toISOString() : null },
          revision,
        );
      },
    },
  ];
}
