import type { Cluster, Command, Redis } from 'ioredis';
import { Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

import { boundedLabel, cellCounter } from './counter-cells.ts';
import type { CounterCell } from './counter-cells.ts';

/** Seconds; a command on a near Redis takes a fraction of a millisecond. */
const REDIS_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Tessera sends a few dozen distinct commands; the label stays bounded whatever a future caller sends. */
const COMMAND_LABELS = 64;

/**
 * Refusals that are part of ioredis's normal course, not failures: NOSCRIPT (it sends the script
 * itself next) and the connection handshake's CLIENT SETINFO, which older servers refuse.
 */
function expected(command: string, err: Error): boolean {
  return command === 'client' || err.message.startsWith('NOSCRIPT');
}

type Send = (command: Command, stream?: unknown, node?: unknown) => unknown;

/** Times the commands of Redis clients. */
export interface RedisMetrics {
  /** Wraps the client's `sendCommand`, through which every command goes (pipelined and clustered ones too). */
  instrument(redis: Redis | Cluster): void;
}

/**
 * `tessera_redis_command_duration_seconds{command}`, `tessera_redis_command_errors_total{command}`
 * (a refused or timed-out command) and `tessera_redis_connection_errors_total` (the client's
 * `error` events). The one seam into ioredis is `sendCommand`, its documented way to send a
 * Command object; test/observability/redis-metrics.test.ts fails if an upgrade bypasses it.
 */
export function redisMetrics(registry: Registry): RedisMetrics {
  const duration = new Histogram({
    name: 'tessera_redis_command_duration_seconds',
    help: 'Time from sending a Redis command to its reply, by command.',
    labelNames: ['command'],
    buckets: REDIS_BUCKETS,
    registers: [registry],
  });
  const errors = cellCounter(registry, 'tessera_redis_command_errors_total', 'Redis commands that failed (error reply, timeout, no connection), by command.', [
    'command',
  ]);
  const connection = cellCounter(registry, 'tessera_redis_connection_errors_total', 'Errors of the connections to Redis (refused, reset, lost).').cell();
  const name = boundedLabel(COMMAND_LABELS);
  const series = new Map<string, { latency: Histogram.Internal<string>; failures: CounterCell }>();
  const seriesOf = (command: string) => {
    let found = series.get(command);
    if (!found) {
      const label = name(command);
      found = series.get(label) ?? { latency: duration.labels(label), failures: errors.cell(label) };
      series.set(command, found);
    }
    return found;
  };
  return {
    instrument(redis) {
      const client = redis as unknown as { sendCommand: Send };
      const send = client.sendCommand;
      client.sendCommand = function sendCommand(this: unknown, command, stream, node) {
        const startedAt = performance.now();
        const { latency, failures } = seriesOf(command.name);
        command.promise.then(
          () => latency.observe((performance.now() - startedAt) / 1000),
          (err: Error) => {
            latency.observe((performance.now() - startedAt) / 1000);
            if (!expected(command.name, err)) failures.pending++;
          },
        );
        return send.call(this, command, stream, node);
      };
      redis.on('error', () => {
        connection.pending++;
      });
    },
  };
}
