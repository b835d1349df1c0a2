import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';

import { startTessera } from '../../support/tessera.ts';
import type { StartOptions, TesseraProcess } from '../../support/tessera.ts';
import { tesseraCli } from '../../support/tessera-cli.ts';

/** One answer of the admin API. */
export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A Tessera with an admin client made by the CLI, and a checker of every answer against the served OpenAPI document. */
export interface AdminFixture {
  readonly tessera: TesseraProcess;
  /** Client credentials tokens for the admin audience with the given scope (of an all-areas admin client, or of a users-only one). */
  token(scope: string, client?: 'admin' | 'users-only' | 'clients-only'): Promise<string>;
  /** Calls the API and checks the answer against the OpenAPI document (operation, status, content type, body schema). */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  /** Operations (`GET /clients`) answered so far, with their statuses. */
  readonly seen: Map<string, Set<number>>;
  /** The served document. */
  readonly document: Record<string, unknown>;
  stop(): Promise<void>;
}

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };

function secretOf(stdout: string): string {
  const secret = /client_secret: ([\w-]{43})\n/.exec(stdout)?.[1];
  if (!secret) throw new Error(`no secret in ${stdout}`);
  return secret;
}

/** Starts Tessera on Redis, adds the admin clients with `tessera clients add --admin`, and loads and validates the OpenAPI document. */
export async function startAdminFixture(options: StartOptions = {}): Promise<AdminFixture> {
  const tessera = await startTessera(options);
  const cli = (...args: string[]) => tesseraCli(tessera.redisEnv!, 'clients', ...args);
  const secrets = {
    admin: secretOf(cli('add', 'ops', '--admin').stdout),
    'users-only': secretOf(cli('add', 'helpdesk', '--grant-types', 'client_credentials', '--scope', 'admin:users').stdout),
    'clients-only': secretOf(cli('add', 'platform', '--grant-types', 'client_credentials', '--scope', 'admin:clients').stdout),
  };
  const ids = { admin: 'ops', 'users-only': 'helpdesk', 'clients-only': 'platform' };
  const document = (await (await fetch(`${tessera.url}/admin/v1/openapi.json`)).json()) as Record<string, unknown>;
  const check = await new Validator().validate(document);
  if (!check.valid) throw new Error(`the served OpenAPI document is invalid: ${JSON.stringify(check.errors)}`);
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(document, 'openapi');
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const templates = Object.keys(paths).map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`) }));
  const seen = new Map<string, Set<number>>();

  function validate(method: string, path: string, answer: Answer): void {
    const bare = path.split('?')[0]!;
    const template = templates.find((t) => t.pattern.test(bare))?.template;
    if (!template) throw new Error(`${method} ${bare} is not in the OpenAPI document`);
    const operation = paths[template]![method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`);
    const key = `${method} ${template}`;
    if (!seen.has(key)) seen.set(key, new Set());
    seen.get(key)!.add(answer.status);
    const response = operation.responses[String(answer.status)];
    if (!response) throw new Error(`${key} answered ${answer.status}, which the OpenAPI document does not list`);
    if (!response.content) {
      if (answer.body !== undefined) throw new Error(`${key} ${answer.status} has a body the document does not describe`);
      return;
    }
    const type = Object.keys(response.content)[0]!;
    if (answer.type !== type) throw new Error(`${key} ${answer.status} answered ${answer.type}, the document says ${type}`);
    const pointer = ['paths', template, method.toLowerCase(), 'responses', String(answer.status), 'content', type, 'schema']
      .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const valid = ajv.validate({ $ref: `openapi#/${pointer}` }, answer.body);
    if (!valid) throw new Error(`${key} ${answer.status} body does not match the document: ${ajv.errorsText()} in ${JSON.stringify(answer.body)}`);
  }

  return {
    tessera,
    seen,
    document,
    async token(scope, client = 'admin') {
      const response = await fetch(`${tessera.url}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${ids[client]}:${secrets[client]}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'urn:tessera:admin', scope }).toString(),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no admin token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async call(method, path, { token, body, headers = {} } = {}) {
      const response = await fetch(`${tessera.url}/admin/v1${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      const answer = {
        status: response.status,
        type: (response.headers.get('content-type') ?? '').split(';')[0]!,
        headers: response.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      validate(method, path, answer);
      return answer;
    },
    async stop() {
      await tessera.stop();
    },
  };
}

/** The problem body of a status, as the admin API writes it. */
export function problem(status: number, title: string, detail: string, errors?: string[]): Record<string, unknown> {
  return { type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) };
}
