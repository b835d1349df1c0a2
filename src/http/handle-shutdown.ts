import type { Server } from 'node:http';

import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';

/** What stops with the server: `leave` when the signal arrives, `closers` once in-flight requests have finished. */
export interface Stoppers {
  readonly leave: readonly (() => Promise<unknown>)[];
  readonly closers: readonly (() => Promise<unknown>)[];
}

/** On SIGTERM/SIGINT: stop accepting and leave the fleet, let in-flight requests finish (bounded), close storage, exit 0. */
export function handleShutdown(server: Server, config: Pick<Config, 'shutdownTimeout'>, logger: Logger, { leave, closers }: Stoppers): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const left = Promise.allSettled(leave.map((go) => go()));
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeout * 1000);
    // Keep-alive connections become idle as their last request ends: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    force.unref();
    server.close(async () => {
      clearTimeout(force);
      clearInterval(sweep);
      // Storage closes after leaving: the roll call's last command needs Redis.
      await left;
      await Promise.allSettled(closers.map((close) => close()));
      logger.info({ event: 'server.stopped' }, 'stopped');
      logger.flush?.();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
