import { guarded, json, PAGE, problem } from './openapi-parts.ts';

const ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const NOT_FOUND = problem('No such account (or session of it).');

/** The browser sessions of the sessions area in the OpenAPI document. */
export const SESSION_PATHS = {
  '/users/{id}/sessions': {
    parameters: [ID],
    get: {
      operationId: 'listUserSessions',
      summary: "The user's live browser sessions: when signed in, the clients and grants in each, expiry",
      parameters: PAGE,
      ...guarded('admin:sessions', { 200: json('A page of sessions, by session_id.', 'SessionList'), 400: problem('A bad cursor or limit.'), 404: NOT_FOUND }),
    },
    delete: {
      operationId: 'endUserSessions',
      summary: 'End every session of the user: each browser must sign in again; their grants are revoked',
      ...guarded('admin:sessions', { 200: json('How many sessions were ended.', 'SessionsEnded'), 404: NOT_FOUND }),
    },
  },
  '/users/{id}/sessions/{session_id}': {
    parameters: [ID, { name: 'session_id', in: 'path', required: true, schema: { type: 'string' } }],
    delete: {
      operationId: 'endUserSession',
      summary: 'End one session: its browser must sign in again; the grants of the session are revoked',
      ...guarded('admin:sessions', { 204: { description: 'Ended.' }, 404: NOT_FOUND }),
    },
  },
};

/** The schemas of the browser sessions. */
export const SESSION_SCHEMAS = {
  Session: {
    type: 'object',
    required: ['session_id', 'signed_in_at', 'expires_at', 'clients'],
    additionalProperties: false,
    properties: {
      session_id: { type: 'string', description: "The session's uid (not the value of its cookie)." },
      signed_in_at: { type: 'integer' },
      expires_at: { type: 'integer' },
      clients: {
        type: 'array',
        items: {
          type: 'object',
          required: ['client_id', 'grant_id'],
          additionalProperties: false,
          properties: { client_id: { type: 'string' }, grant_id: { type: ['string', 'null'] } },
        },
      },
    },
  },
  SessionList: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Session' } }, next_cursor: { type: 'string' } },
  },
  SessionsEnded: { type: 'object', required: ['ended'], additionalProperties: false, properties: { ended: { type: 'integer' } } },
};
