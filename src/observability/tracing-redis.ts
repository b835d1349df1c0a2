import type { Cluster, Command, Redis } from 'ioredis';

import type { TracingApi } from './tracing-api.ts';

type Send = (command: Command, ...rest: unknown[]) => unknown;

/**
 * A client span for every Redis command sent within a traced request (commands outside one,
 * such as the fleet roll call, start no trace of their own). Spans carry the command name,
 * never its keys or arguments: they hold token and grant ids.
 */
export function traceRedisCommands(redis: Redis | Cluster, { api, tracer }: TracingApi): void {
  const target = redis as unknown as { sendCommand: Send };
  const send = target.sendCommand.bind(redis) as Send;
  target.sendCommand = (command, ...rest) => {
    const active = api.context.active();
    if (!api.trace.getSpan(active)) return send(command, ...rest);
    const name = command.name.toUpperCase();
    const span = tracer.startSpan(
      name,
      {
        kind: api.SpanKind.CLIENT,
        attributes: { 'db.system.name': 'redis', 'db.operation.name': name },
      },
      active,
    );
    command.promise.then(
      () => span.end(),
      (err: Error) => {
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: err.message });
        span.end();
      },
    );
    return send(command, ...rest);
  };
}
