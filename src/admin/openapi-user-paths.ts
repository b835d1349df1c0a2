import { body, ETAG, guarded, IF_MATCH, IF_MATCH_OPTIONAL, json, PAGE, problem } from './openapi-parts.ts';

const ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The account id (the `sub` of its tokens).' };
const NOT_FOUND = problem('No such account.');
const INVALID = problem('Invalid input; `errors` names every problem.');

const toggle = (disabled: boolean) => ({
  parameters: [ID],
  post: {
    operationId: disabled ? 'disableUser' : 'enableUser',
    summary: disabled ? 'Disable: the user can no longer sign in' : 'Enable again',
    ...guarded('admin:users', { 200: json('The account.', 'User', ETAG), 404: NOT_FOUND }),
  },
});

/** The users area of the OpenAPI document. */
export const USER_PATHS = {
  '/users': {
    get: {
      operationId: 'listUsers',
      summary: 'List users by username; `q` keeps those whose username or email starts with it',
      parameters: [
        ...PAGE,
        {
          name: 'q',
          in: 'query',
          schema: { type: 'string' },
          description: 'A prefix of the username or of the email (any case); only the matching accounts are read.',
        },
      ],
      ...guarded('admin:users', { 200: json('A page of users.', 'UserList'), 400: problem('A bad cursor or limit.') }),
    },
    post: {
      operationId: 'createUser',
      requestBody: body('UserInput'),
      ...guarded('admin:users', {
        201: json('Created.', 'User', { ...ETAG, Location: { schema: { type: 'string' } } }),
        400: INVALID,
        409: problem('The username is taken.'),
        415: problem('The body is not JSON.'),
      }),
    },
  },
  '/users/{id}': {
    parameters: [ID],
    get: { operationId: 'getUser', ...guarded('admin:users', { 200: json('The account.', 'User', ETAG), 404: NOT_FOUND }) },
    patch: {
      operationId: 'updateUser',
      summary: 'Change the profile: a field given replaces, null removes, one left out stays',
      parameters: [IF_MATCH],
      requestBody: body('ProfileChanges'),
      ...guarded('admin:users', {
        200: json('The account.', 'User', ETAG),
        400: INVALID,
        404: NOT_FOUND,
        412: problem('The account changed since it was read.'),
        428: problem('If-Match is missing.'),
      }),
    },
    delete: {
      operationId: 'deleteUser',
      parameters: [IF_MATCH_OPTIONAL],
      ...guarded('admin:users', { 204: { description: 'Deleted.' }, 404: NOT_FOUND, 412: problem('The account changed since it was read.') }),
    },
  },
  '/users/{id}/disable': toggle(true),
  '/users/{id}/enable': toggle(false),
  '/users/{id}/password': {
    parameters: [ID],
    put: {
      operationId: 'setUserPassword',
      requestBody: body('Password'),
      ...guarded('admin:users', { 204: { description: 'The password is replaced.' }, 400: INVALID, 404: NOT_FOUND }),
    },
  },
};
