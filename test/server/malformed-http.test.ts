import { send } from '../fuzz/raw-request.ts';
import type { RawRequest } from '../fuzz/raw-request.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

let tessera: TesseraProcess;

beforeAll(async () => {
  tessera = await startTessera({ env: { NODE_ENV: 'test' } });
});

afterAll(async () => {
  await tessera.stop();
});

function request(method: string, path: string, headers: [string, string][] = [], body?: Buffer): RawRequest {
  return { method, path, headers: [['Host', '127.0.0.1'], ['Connection', 'close'], ...headers], body };
}

const NOT_FOUND = { error: 'not_found', error_description: 'there is no endpoint at this path for this method' };

test("an address nothing serves: Tessera's 404 body, with its headers", async () => {
  const response = await send(tessera.port, request('PUT', '/token'));
  expect(response.status).toBe(404);
  expect(JSON.parse(response.body)).toEqual(NOT_FOUND);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['cache-control']).toBe('no-store');
});

test("an address nothing serves, asked for by a browser: Tessera's error page", async () => {
  const response = await send(tessera.port, request('GET', '/does-not-exist', [['Accept', 'text/html']]));
  expect(response.status).toBe(404);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.body).toContain('<title>Not found · Tessera</title>');
  expect(response.body).toContain('<p class="alert" role="alert">There is nothing at this address.</p>');
  expect(response.body).toContain('<p class="detail">Error: <code>not_found</code></p>');
});

test('a request target without a path (`//x#@y`) is a 400, not a 500', async () => {
  const response = await send(tessera.port, request('GET', '//token#@x'));
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ error: 'invalid_request', error_description: 'malformed request target' });
});

test("a request Node's parser refuses gets Tessera's error body, and is logged", async () => {
  const response = await send(tessera.port, request('G\u00e9T', '/'));
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ error: 'invalid_request', error_description: 'malformed HTTP request' });
  expect(response.headers['x-frame-options']).toBe('DENY');
  await tessera.logsOnce((line) => line.event === 'http.malformed' && line.status === 400 && line.parserError === 'HPE_INVALID_METHOD');
});

test("too many header bytes: 431 with Tessera's error body", async () => {
  const response = await send(tessera.port, request('GET', '/jwks', [['X-Big', 'b'.repeat(20_000)]]));
  expect(response.status).toBe(431);
  expect(JSON.parse(response.body)).toEqual({ error: 'invalid_request', error_description: 'request headers too large' });
});

test("a broken chunked body gets Tessera's error body", async () => {
  const raw = Buffer.from('POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n', 'latin1');
  const response = await send(tessera.port, { method: '', path: '', headers: [], raw });
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ error: 'invalid_request', error_description: 'malformed HTTP request' });
});

// Closing a connection with unread bytes resets it, and the client loses the answer it was sent.
test.each([
  [
    'a 10 MB body on a route that takes none',
    request('PUT', '/jwks', [['Content-Length', String(10 * 1024 * 1024)]], Buffer.alloc(10 * 1024 * 1024, 'a')),
    404,
  ],
  [
    'a 10 MB body after a method the parser refuses',
    request('G\u00e9T', '/', [['Content-Length', String(10 * 1024 * 1024)]], Buffer.alloc(10 * 1024 * 1024, 'a')),
    400,
  ],
])('%s: the client receives the answer', async (_name, sent, status) => {
  for (let i = 0; i < 3; i++) {
    const response = await send(tessera.port, sent);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body)).toHaveProperty('error');
  }
});
