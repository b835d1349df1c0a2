import { randomUUID } from 'node:crypto';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id: a well-formed incoming X-Request-Id, or a new one. */
export function requestIdFor(incoming: string | undefined): string {
  return incoming && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
}
