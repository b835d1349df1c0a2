import type { EventEmitter } from 'node:events';

import type { Provider } from 'oidc-provider';

import type { Logger } from '../observability/logger.ts';

interface EngineContext {
  readonly state?: { requestId?: string };
  readonly oidc?: { client?: { clientId: string } };
}

/** Writes the engine's events that operators need to the log; never token values. */
export function logEngineEvents(provider: Provider, logger: Logger): void {
  provider.on('server_error', (ctx: EngineContext, err: Error) => {
    logger.error({ event: 'server_error', requestId: ctx.state?.requestId, err: { message: err.message, name: err.name } }, 'engine error');
  });
  const emitter: EventEmitter = provider;
  for (const event of ['grant.error', 'introspection.error', 'revocation.error', 'userinfo.error']) {
    emitter.on(event, (ctx: EngineContext, err: Error & { error?: string; error_description?: string }) => {
      logger.info(
        { event, requestId: ctx.state?.requestId, client_id: ctx.oidc?.client?.clientId, error: err.error, error_description: err.error_description },
        'request rejected',
      );
    });
  }
  provider.on('grant.success', (ctx: EngineContext) => {
    if (!logger.isLevelEnabled('debug')) return;
    logger.debug({ event: 'grant.success', requestId: ctx.state?.requestId, client_id: ctx.oidc?.client?.clientId }, 'token issued');
  });
}
