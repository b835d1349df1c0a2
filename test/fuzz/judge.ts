import type { RawRequest, RawResponse } from './raw-request.ts';

/** Signs that an answer leaks internals: a stack frame, a source path, an engine or library name. */
const LEAKS =
  /\bat [\w.<>]+ \(|\bat (?:async )?file:|node_modules|\/work\/|\/src\/|\.ts:\d+|\.js:\d+|\bTypeError\b|\bReferenceError\b|\bSyntaxError\b|ECONNREFUSED|ioredis/;

function tesseraError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const keys = Object.keys(parsed).sort().join(',');
    return (
      (keys === 'error' || keys === 'error,error_description') &&
      typeof parsed.error === 'string' &&
      (parsed.error_description === undefined || typeof parsed.error_description === 'string')
    );
  } catch {
    return false;
  }
}

function tesseraPage(body: string): boolean {
  return body.includes('<link rel="stylesheet" href="/assets/tessera.css">') && body.includes(' · Tessera</title>');
}

/**
 * Why an answer is unacceptable, or undefined when it is fine: every answer has a status
 * below 500, none shows a stack trace or an internal path, and every 4xx carries Tessera's
 * error body or error page.
 */
export function judge(request: RawRequest, response: RawResponse): string | undefined {
  if (response.status === 0) return response.abandoned ? undefined : 'no answer';
  if (response.status >= 500) return `status ${response.status}`;
  if (LEAKS.test(response.body)) return 'internal detail in the body';
  if (response.status < 400) return undefined;
  if (request.method === 'HEAD' && response.body === '') return undefined;
  if (tesseraError(response.body) || tesseraPage(response.body)) return undefined;
  return `a ${response.status} without Tessera's error body or page`;
}
