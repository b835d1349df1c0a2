import type { Random } from './random.ts';
import type { RawRequest } from './raw-request.ts';

/** A live interaction the fuzzer posts forms into, with the browser's cookies and CSRF token. */
export interface LiveInteraction {
  readonly uid: string;
  readonly cookie: string;
  readonly csrf: string;
}

export interface CaseLimits {
  /** Largest body sent, in bytes. */
  readonly maxBody: number;
  /** Most parameters in one form or query. */
  readonly maxParams: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'G\u00e9T'];
const PATHS = [
  '/',
  '/.well-known/openid-configuration',
  '/jwks',
  '/auth',
  '/token',
  '/token/introspection',
  '/token/revocation',
  '/me',
  '/session/end',
  '/session/end/confirm',
  '/request',
  '/reg',
  '/healthz',
  '/readyz',
  '/interaction/',
  '/assets/tessera.css',
  '/demo/callback',
  '/does-not-exist',
  '//token',
  '/token/',
  '/TOKEN',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/auth/%00',
  '/jwks?x=%ff',
];
const PARAMS = [
  'grant_type',
  'client_id',
  'client_secret',
  'scope',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
  'response_type',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'token',
  'token_type_hint',
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'audience',
  'request',
  'request_uri',
  'prompt',
  'max_age',
  'id_token_hint',
  'post_logout_redirect_uri',
  'logout',
  'xsrf',
  'csrf',
  'username',
  'password',
];
const VALUES = [
  '',
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'dev-service',
  'fuzz-app',
  'openid',
  'openid profile email offline_access',
  'api:read',
  'code',
  'S256',
  'plain',
  'http://127.0.0.1:1/cb',
  'urn:tessera:resource_server',
  'urn:ietf:params:oauth:token-type:access_token',
  'eyJhbGciOiJub25lIn0.e30.',
  'eyJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.eyJpc3MiOiJ4In0.AAAA',
  'login',
  'none',
  '-1',
  '99999999999999999999',
  'true',
  'null',
  '[]',
  '{}',
  '\u0000',
  '%00',
  '%ff%fe',
  '%c0%af',
  '\ud800',
  '😀'.repeat(50),
];
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/json',
  'multipart/form-data; boundary=x',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded; charset=utf-16',
  '',
  'application/x-www-form-urlencoded;;;',
  '*/*',
  'application/jwt',
];

function encode(random: Random, value: string): string {
  if (random.chance(0.2)) return value; // unencoded: raw '&', '=', '%', spaces
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += /[\w.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** A form or query: known and random names, duplicates, array syntax, broken percent-encoding, NUL bytes. */
function params(random: Random, limits: CaseLimits, extra: Record<string, string> = {}): string {
  const count = random.chance(0.02) ? limits.maxParams : random.int(0, 12);
  const parts = Object.entries(extra).map(([k, v]) => `${k}=${encode(random, v)}`);
  for (let i = 0; i < count; i++) {
    let name = random.chance(0.8) ? random.pick(PARAMS) : random.word();
    if (random.chance(0.1)) name += random.pick(['[]', '[0]', '[a][b]', '.x', '%00']);
    const value = random.chance(0.7) ? random.pick(VALUES) : random.word(40);
    parts.push(random.chance(0.05) ? encode(random, name) : `${encode(random, name)}=${encode(random, value)}`);
    if (random.chance(0.1)) parts.push(parts[parts.length - 1]!); // duplicated parameter
  }
  return parts.join(random.chance(0.05) ? '&&' : '&');
}

function body(random: Random, limits: CaseLimits, form: string): Buffer {
  const roll = random.next();
  if (roll < 0.6) return Buffer.from(form, 'latin1');
  if (roll < 0.7) return Buffer.from(JSON.stringify(Object.fromEntries(new URLSearchParams(form))));
  if (roll < 0.8) return random.bytes(random.int(0, 4096)); // random bytes, invalid UTF-8 included
  if (roll < 0.9) return Buffer.concat([Buffer.from(form), Buffer.from([0, 0xff, 0xfe, 0xc0, 0xaf])]);
  return Buffer.alloc(random.chance(0.1) ? limits.maxBody : random.int(16 * 1024, 200 * 1024), 'a');
}

function authorization(random: Random): string {
  return random.pick([
    `Basic ${Buffer.from('dev-service:dev-service-secret').toString('base64')}`,
    `Basic ${Buffer.from('fuzz-app:wrong').toString('base64')}`,
    'Basic !!!',
    'Basic ',
    'Basic',
    `Basic ${Buffer.from('no-colon').toString('base64')}`,
    `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
    `Basic ${Buffer.from([0xff, 0x3a, 0x00]).toString('base64')}`,
    `Basic ${'A'.repeat(6000)}`,
    'Bearer ',
    'Bearer a.b.c',
    'Bearer eyJhbGciOiJub25lIn0.e30.',
    'DPoP x',
    'Digest x',
  ]);
}

/** Headers of a request: a valid core, then random damage, floods and duplicates. */
function headers(random: Random, contentType: string | undefined, length: number | undefined, cookie?: string): [string, string][] {
  const out: [string, string][] = [
    ['Host', '127.0.0.1'],
    ['Connection', 'close'],
  ];
  if (contentType !== undefined) out.push(['Content-Type', contentType]);
  if (length !== undefined) out.push(['Content-Length', String(length)]);
  if (cookie) out.push(['Cookie', cookie]);
  if (random.chance(0.3)) out.push(['Authorization', authorization(random)]);
  if (random.chance(0.1)) out.push(['Accept', random.pick(['application/json', 'text/html', '*/*', '', 'x/y;q=abc'])]);
  if (random.chance(0.1)) out.push(['X-Forwarded-For', random.pick(['1.2.3.4', 'garbage', '::1, , ,', '999.1.1.1'])]);
  if (random.chance(0.05)) out.push(['Cookie', random.pick(['_session=x', '_interaction=;', 'a'.repeat(5000), '=;=;='])]);
  if (random.chance(0.05)) for (let i = random.int(50, 150); i > 0; i--) out.push([`X-Flood-${i}`, random.word(20)]);
  if (random.chance(0.02)) out.push(['X-Big', 'b'.repeat(random.int(8_000, 20_000))]);
  if (random.chance(0.05)) out.push(['Content-Type', 'application/json']); // a second, contradicting content type
  if (random.chance(0.03)) out.push(['X-Request-Id', random.pick(['\u0001', 'x'.repeat(300), '../../x'])]);
  return out;
}

/** Broken framing that only a raw socket can send: bad chunk sizes, short bodies, invalid request lines. */
function broken(random: Random): RawRequest {
  const raw = random.pick([
    'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nx\r\n',
    'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nshort',
    'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n',
    'GET /\u0000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\u0000b\r\n\r\n',
    'GARBAGE\r\n\r\n',
    `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  ]);
  return { method: '', path: '', headers: [], raw: Buffer.from(raw, 'latin1') };
}

/** One malformed request against any endpoint. */
export function endpointCase(random: Random, limits: CaseLimits): RawRequest {
  if (random.chance(0.03)) return broken(random);
  const method = random.pick(METHODS);
  const query = random.chance(0.5) ? `?${params(random, limits)}` : '';
  const path = `${random.pick(PATHS)}${query}`;
  const withBody = method !== 'GET' && method !== 'HEAD' && random.chance(0.8);
  const data = withBody ? body(random, limits, params(random, limits)) : undefined;
  const type = withBody ? random.pick(CONTENT_TYPES) : undefined;
  return { method, path, headers: headers(random, type || undefined, data?.length), body: data };
}

/** A form posted into a real interaction, with its real cookies and usually its real CSRF token. */
export function interactionCase(random: Random, limits: CaseLimits, live: LiveInteraction): RawRequest {
  const action = random.pick(['login', 'confirm', 'abort', '', 'unknown', 'login/extra']);
  const csrf = random.pick([live.csrf, live.csrf, '', 'forged', live.csrf.slice(1)]);
  const fields: Record<string, string> = random.chance(0.8) ? { csrf } : {};
  if (random.chance(0.7)) Object.assign(fields, { username: random.pick(['', 'nobody', 'a'.repeat(3000), '\u0000']), password: random.word(30) });
  const form = params(random, limits, fields);
  const data = body(random, limits, form);
  const method = random.chance(0.9) ? 'POST' : random.pick(METHODS);
  const uid = random.chance(0.9) ? live.uid : random.pick(['', 'x', '%00', '..', live.uid.toUpperCase()]);
  const cookie = random.chance(0.9) ? live.cookie : live.cookie.replace(/=[^;]*/, '=tampered');
  const type = random.chance(0.85) ? 'application/x-www-form-urlencoded' : random.pick(CONTENT_TYPES);
  return { method, path: `/interaction/${uid}/${action}`, headers: headers(random, type || undefined, data.length, cookie), body: data };
}
