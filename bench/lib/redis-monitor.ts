// MONITOR on a plain socket. ioredis marks a connection as monitoring only once MONITOR's reply
// has been handled, so a command another client sends at that moment, read together with the
// reply, makes it throw "Command queue state error" and ends the benchmark.
import { connect } from 'node:net';

/** One command Redis executed: its name (lower case) and who sent it (`ip:port`, or `lua` for a script). */
export interface MonitoredCommand {
  readonly name: string;
  readonly source: string;
}

export interface RedisMonitor {
  /** Stops watching and returns what was seen, in order. */
  stop(): MonitoredCommand[];
}

/** `+1796160893.928154 [0 127.0.0.1:45552] "info" …` */
const LINE = /^\+\d+(?:\.\d+)? \[\d+ ([^\]]+)\] "([^"]*)"/;

/** Starts watching every command the Redis at `url` executes; resolves once MONITOR is on. */
export async function monitorRedis(url: string): Promise<RedisMonitor> {
  const { hostname, port, username, password } = new URL(url);
  const socket = connect(Number(port || 6379), hostname);
  const seen: MonitoredCommand[] = [];
  const greetings = password ? 2 : 1;
  let replies = 0;
  let buffered = '';

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      if (password) socket.write(`AUTH ${decodeURIComponent(username || 'default')} ${decodeURIComponent(password)}\r\n`);
      socket.write('MONITOR\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\r\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (replies < greetings) {
          if (line !== '+OK') reject(new Error(`Redis refused MONITOR: ${line}`));
          if (++replies === greetings) resolve();
          continue;
        }
        const match = LINE.exec(line);
        if (match) seen.push({ source: match[1]!, name: match[2]!.toLowerCase() });
      }
    });
  });

  return {
    stop() {
      socket.destroy();
      return seen;
    },
  };
}
