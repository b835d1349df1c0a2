type Json = Record<string, unknown>;

/** A problem answer (RFC 9457). */
export const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** A JSON answer of a schema in components. */
export const json = (description: string, schema: string, headers: Json = {}): Json => ({
  description,
  headers,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

/** A JSON request body of a schema in components. */
export const body = (schema: string): Json => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } });

export const ETAG = { ETag: { description: 'The revision of the resource; send it as If-Match to change it.', schema: { type: 'string' } } };
export const IF_MATCH = {
  name: 'If-Match',
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description: 'The ETag the change was made from: 428 without it, 412 when the resource has changed since.',
};
export const IF_MATCH_OPTIONAL = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'When given, the delete happens only if the resource still has this ETag (412 otherwise); without it, whatever its revision.',
};
export const PAGE = [
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'The `next_cursor` of the previous page.' },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
];

/** The answers every protected operation may give besides its own. */
export function guarded(scope: string, responses: Json): Json {
  return {
    security: [{ admin: [scope] }],
    responses: {
      ...responses,
      401: problem('No bearer token, or one that is invalid, expired or not for tessera-admin.'),
      403: problem(`The token lacks the scope ${scope}.`),
    },
  };
}
