import { connect } from 'node:net';

/** A request written to the socket as given: any method, header or body, valid HTTP or not. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: Buffer | undefined;
  /** Bytes sent instead of the request line, headers and body (for broken framing). */
  readonly raw?: Buffer | undefined;
}

/** What came back: a status (0 when the server closed without answering), headers and body. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly reset: boolean;
  /** The request was cut short by the client: it sent all it had and the server still waited. */
  readonly abandoned: boolean;
}

/** Serializes a request; the caller's headers go out exactly as given, duplicates included. */
export function serialize(request: RawRequest): Buffer {
  if (request.raw) return request.raw;
  const head = [`${request.method} ${request.path} HTTP/1.1`, ...request.headers.map(([n, v]) => `${n}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), request.body ?? Buffer.alloc(0)]);
}

function parse(data: Buffer, reset: boolean, abandoned: boolean): RawResponse {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: data.toString('latin1'), reset, abandoned };
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = data.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: body.toString('utf8'), reset, abandoned };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 4 + size;
  }
  return Buffer.concat(parts);
}

/**
 * Sends one request on its own connection and reads the answer until the server closes it
 * (requests say `Connection: close`). A request whose framing promises more than it sends is
 * abandoned after `patienceMs` without an answer: the client then closes its side. A server
 * that closes while a body is still being written (a refused oversized body) counts as
 * answered if it wrote a status.
 */
export function send(port: number, request: RawRequest, patienceMs = 2_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let reset = false;
    let abandoned = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (): void => {
      clearTimeout(patience);
      clearTimeout(limit);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), reset, abandoned));
    };
    let patience: NodeJS.Timeout | undefined;
    const limit = setTimeout(finish, 30_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(patience);
    });
    socket.on('error', () => {
      reset = true;
    });
    socket.on('close', finish);
    socket.write(serialize(request), () => {
      patience = setTimeout(() => {
        if (!chunks.length) {
          abandoned = true;
          socket.end();
        }
      }, patienceMs);
    });
  });
}
