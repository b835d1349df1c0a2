import { guarded, json, PAGE, problem } from './openapi-parts.ts';

/** The keys area of the OpenAPI document. */
export const KEY_PATHS = {
  '/keys': {
    get: {
      operationId: 'listKeys',
      summary: 'Every key in CERTS_DIR with its state (next, active, retired) and since when',
      parameters: PAGE,
      ...guarded('admin:keys', { 200: json('A page of keys, by kid.', 'KeyList'), 400: problem('A bad cursor or limit.') }),
    },
  },
  '/keys/rotate': {
    post: {
      operationId: 'rotateKeys',
      summary: 'One rotation step, as `tessera keys rotate`; `immediately: true` lets a new key sign now (a compromised key)',
      requestBody: { required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/RotationRequest' } } } },
      ...guarded('admin:keys', {
        200: json('What the step did, and the keys after it.', 'RotationResult'),
        400: problem('A bad body.'),
        409: problem('Another rotation is running.'),
      }),
    },
  },
};

const KEY = {
  type: 'object',
  required: ['kid', 'file', 'algs', 'state', 'since'],
  additionalProperties: false,
  properties: {
    kid: { type: 'string' },
    file: { type: 'string', description: 'The file stem in CERTS_DIR.' },
    algs: { type: 'array', items: { type: 'string' } },
    state: { enum: ['next', 'active', 'retired'] },
    since: { type: ['string', 'null'], format: 'date-time', description: 'When it entered its state (keys.json).' },
  },
};

/** The schemas of the keys area. */
export const KEY_SCHEMAS = {
  Key: KEY,
  KeyList: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Key' } }, next_cursor: { type: 'string' } },
  },
  RotationRequest: { type: 'object', additionalProperties: false, properties: { immediately: { type: 'boolean', default: false } } },
  RotationResult: {
    type: 'object',
    required: ['generated', 'promoted', 'dropped', 'waiting', 'keys'],
    additionalProperties: false,
    properties: {
      generated: { type: 'array', items: { type: 'string' } },
      promoted: {
        type: 'array',
        items: {
          type: 'object',
          required: ['file', 'retired'],
          properties: {
            file: { type: 'string' },
            retired: {
              type: 'array',
              items: {
                type: 'object',
                required: ['file', 'published_until'],
                properties: { file: { type: 'string' }, published_until: { type: ['string', 'null'] } },
              },
            },
          },
        },
      },
      dropped: { type: 'array', items: { type: 'string' } },
      waiting: {
        type: 'array',
        items: { type: 'object', required: ['file', 'signs_from'], properties: { file: { type: 'string' }, signs_from: { type: 'string' } } },
      },
      keys: { type: 'array', items: { $ref: '#/components/schemas/Key' } },
    },
  },
};
