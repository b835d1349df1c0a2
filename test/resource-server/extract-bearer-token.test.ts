import { extractBearerToken } from '../../src/resource-server/extract-bearer-token.ts';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';

function reason(authorization: string | undefined, querystring = '', allowQuery = false): string {
  try {
    return `token ${extractBearerToken(authorization, querystring, allowQuery)}`;
  } catch (err) {
    return (err as { reason: string }).reason;
  }
}

test('one b64token after the Bearer scheme, in any case, after one or more spaces', () => {
  expect(reason(`Bearer ${JWT}`)).toBe(`token ${JWT}`);
  expect(reason(`bEaReR  ${JWT}`)).toBe(`token ${JWT}`);
  expect(reason('Bearer =abc')).toBe('malformed_authorization');
  expect(reason('Bearer ab/c+_-.~==')).toBe('token ab/c+_-.~==');
});

test('no token, or another scheme, is missing_token', () => {
  expect(reason(undefined)).toBe('missing_token');
  expect(reason('')).toBe('missing_token');
  expect(reason('Basic dXNlcjpwYXNz')).toBe('missing_token');
  expect(reason(`DPoP ${JWT}`)).toBe('missing_token');
  expect(reason(`Bearerish ${JWT}`)).toBe('missing_token');
});

test('a Bearer header without exactly one b64token is malformed_authorization', () => {
  expect(reason('Bearer')).toBe('malformed_authorization');
  expect(reason(`Bearer ${JWT} ${JWT}`)).toBe('malformed_authorization');
  expect(reason(`Bearer ${JWT},${JWT}`)).toBe('malformed_authorization');
  expect(reason(`Bearer "${JWT}"`)).toBe('malformed_authorization');
  expect(reason(`Bearer\t${JWT}`)).toBe('malformed_authorization');
});

test('the query: refused unless allowed, and never together with the header or twice', () => {
  expect(reason(undefined, `access_token=${JWT}`)).toBe('query_token_not_allowed');
  expect(reason(undefined, `page=2&access_token=${JWT}`, true)).toBe(`token ${JWT}`);
  expect(reason(`Bearer ${JWT}`, `access_token=${JWT}`, true)).toBe('multiple_tokens');
  expect(reason(`Bearer ${JWT}`, `access_token=${JWT}`)).toBe('multiple_tokens');
  expect(reason(undefined, `access_token=${JWT}&access_token=${JWT}`, true)).toBe('multiple_tokens');
  expect(reason(`Bearer ${JWT}`, 'page=2&no_access_token_here=1')).toBe(`token ${JWT}`);
});
