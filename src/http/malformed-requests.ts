import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

import type { Logger } from '../observability/logger.ts';
import { securityHeaders } from './security-headers.ts';

/** Node's HTTP parser error codes that have a more precise status than 400. */
const STATUS_OF: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const LINGER_MS = 2_000;

/**
 * Closes the connection once the client has stopped sending, or after LINGER_MS: closing with
 * unread bytes makes the kernel reset the connection, and the client would lose the answer.
 * Node's parser keeps reading (and refusing) what arrives meanwhile.
 */
function lingerThenClose(socket: Duplex): void {
  const close = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  socket.once('end', close);
}

/**
 * Answers requests that Node's HTTP parser refuses before Koa sees them (a broken request
 * line, header or chunk, too many header bytes) with Tessera's error body and headers instead
 * of Node's bare status line, and logs them. The connection closes afterwards: its framing
 * can no longer be trusted.
 */
export function answerMalformedRequests(server: Server, { logger, https }: { logger: Logger; https: boolean }): void {
  const headers = securityHeaders(https)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // The parser reports every later chunk of a refused request again: one answer per connection.
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return;
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = STATUS_OF[err.code ?? ''] ?? 400;
    const body = JSON.stringify({ error: 'invalid_request', error_description: status === 431 ? 'request headers too large' : 'malformed HTTP request' });
    logger.info({ event: 'http.malformed', status, parserError: err.code }, 'malformed HTTP request refused');
    answered.add(socket);
    lingerThenClose(socket);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n${headers}Connection: close\r\n\r\n${body}`,
    );
  });
}
