/**
 * Every response a test receives through `app.request` is checked against
 * docs/openapi.json: its route, its status, its headers and its body must be
 * what the document says. One that is not fails the request (so the test that
 * received it fails) with each problem named, and is appended to
 * TEST_OPENAPI_REPORT, which scripts/test.mjs prints at the end of the run.
 *
 * The validator is openapi-backend (its router and its Ajv response validators),
 * given Ajv's JSON Schema 2020-12 dialect, the one OpenAPI 3.1 schemas use. It is
 * loaded in quick mode, which skips its own check of the document (written for
 * OpenAPI 3.0); `npm run lint` checks the document with redocly.
 * Requests to routes the document does not describe are exempt only through the
 * list below; a request no route answers (404, or 405 for a method a path lacks)
 * is not a route and needs no entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document, type Operation } from 'openapi-backend';
import type { OpenAPIV3_1 } from 'openapi-types';
import supertest from 'supertest';
import { ROOT } from './database';

export const DOCUMENT_PATH = path.join(ROOT, 'docs', 'openapi.json');

/** Routes the document does not describe, and why. */
export const OUTSIDE_THE_DOCUMENT: { path: RegExp; why: string }[] = [
  { path: /^\/platform-settings(\/|$)/, why: "the plugin's admin API (admin JWT and RBAC)" },
  { path: /^\/admin(\/|$)/, why: "Strapi's admin panel and its API" },
  { path: /^\/content-manager\//, why: "Strapi's Content Manager API, behind the admin panel" },
  { path: /^\/_health$/, why: "Strapi's liveness check" },
  { path: /^\/metrics$/, why: 'the Prometheus metrics (README, Operations)' },
  { path: /^\/test-only\//, why: 'routes a test registers for itself' },
];

/**
 * Headers of the HTTP layer and of Strapi's middleware stack (security headers,
 * CORS, the request id every response carries): not part of any operation's contract.
 */
const STACK_HEADERS = new Set([
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'connection',
  'content-length',
  'content-security-policy',
  'content-type',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'date',
  'keep-alive',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'transfer-encoding',
  'vary',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-powered-by',
  'x-request-id',
  'x-xss-protection',
]);

type Agent = ReturnType<typeof supertest>;
type Response = supertest.Response & { req?: { method?: string; path?: string } };
type ResponseObject = OpenAPIV3_1.ResponseObject;
type HeaderObject = OpenAPIV3_1.HeaderObject;

let backend: Promise<OpenAPIBackend> | null = null;

const loadBackend = () => {
  if (!fs.existsSync(DOCUMENT_PATH)) {
    throw new Error(`${DOCUMENT_PATH} is missing: run \`npm run openapi\``);
  }
  const definition = JSON.parse(fs.readFileSync(DOCUMENT_PATH, 'utf8')) as Document;
  // The paths are relative to the server URL, `{origin}/api`.
  const serverUrl = definition.servers?.[0]?.url ?? '/';
  const api = new OpenAPIBackend({
    definition,
    apiRoot: new URL(serverUrl.replace('{origin}', ''), 'http://localhost').pathname,
    quick: true,
    customizeAjv: (_ajv, options) => {
      const ajv = new Ajv2020({ ...options, strict: false, allErrors: true });
      addFormats(ajv);
      return ajv as unknown as typeof _ajv;
    },
  });
  return api.init();
};

/** Ready before the first request; each test file loads the document once. */
export const loadDocument = () => (backend ??= loadBackend());

const isJson = (contentType: string | undefined) =>
  /^application\/([\w.+-]+\+)?json\b/.test(contentType ?? '');

const documented = (operation: Operation, status: number): ResponseObject | undefined => {
  const responses = (operation.responses ?? {}) as Record<string, ResponseObject>;
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
};

/** The value at a JSON pointer, shortened for a message. */
const shown = (root: unknown, pointer: string) => {
  let value = root;
  for (const step of pointer.split('/').slice(1))
    value = (value as Record<string, unknown> | undefined)?.[
      step.replace(/~1/g, '/').replace(/~0/g, '~')
    ];
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const ajvProblems = (
  errors: { instancePath?: string; message?: string }[] | null | undefined,
  root: unknown
) =>
  (errors ?? [])
    .map(
      ({ instancePath = '', message }) =>
        `${instancePath || '(root)'} ${message} (is ${shown(root, instancePath)})`
    )
    .join(', ');

/** How many responses of each documented operation and status this test file checked. */
export const checkedAnswers = new Map<string, number>();

/** What is wrong with this response by the document; empty when nothing is. */
export const problemsWith = (
  api: OpenAPIBackend,
  method: string,
  requestPath: string,
  res: Response
): string[] => {
  // As the server saw it: `..` and `%2F` stay as they are.
  const pathname = requestPath.split('?')[0];
  if (method === 'OPTIONS') return []; // CORS preflights, answered by strapi::cors
  if (OUTSIDE_THE_DOCUMENT.some((route) => route.path.test(pathname))) return [];
  const operation = api.router.matchOperation({ method, path: pathname, headers: {} });
  if (!operation) {
    return res.status === 404 || res.status === 405
      ? []
      : [`answered ${res.status}, but the document has no ${method} ${pathname}`];
  }
  const name = operation.operationId;
  const key = `${name} ${res.status}`;
  checkedAnswers.set(key, (checkedAnswers.get(key) ?? 0) + 1);
  const response = documented(operation, res.status);
  if (!response) return [`${name} does not document status ${res.status}`];

  const problems: string[] = [];
  const contentType = res.headers['content-type'];
  const mediaTypes = Object.keys(response.content ?? {});
  const hasBody = (res.text ?? '') !== '';
  if (mediaTypes.includes('application/json')) {
    if (!isJson(contentType))
      problems.push(`${name} ${res.status} answered ${contentType}, not JSON`);
    else {
      const result = api.validator.validateResponse(res.body, operation, res.status);
      if (!result.valid) problems.push(`body: ${ajvProblems(result.errors, res.body)}`);
    }
  } else if (mediaTypes.length > 0) {
    // Another media type (an event stream, say): the type is checked, its text is not.
    if (!mediaTypes.some((type) => (contentType ?? '').startsWith(type)))
      problems.push(
        `${name} ${res.status} answered ${contentType}, not ${mediaTypes.join(' or ')}`
      );
  } else if (hasBody) {
    problems.push(`${name} ${res.status} has a body the document does not describe`);
  }

  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([header, object]) => [
      header.toLowerCase(),
      object as HeaderObject,
    ])
  );
  for (const [header, object] of Object.entries(headers)) {
    if (object.required && res.headers[header] === undefined)
      problems.push(`header ${header} is missing`);
  }
  const checked = api.validator.validateResponseHeaders(res.headers, operation, {
    statusCode: res.status,
  });
  if (!checked.valid)
    problems.push(`headers: ${ajvProblems(checked.errors, { headers: res.headers })}`);
  for (const header of Object.keys(res.headers)) {
    if (!headers[header] && !STACK_HEADERS.has(header))
      problems.push(`header ${header} is not documented for ${name} ${res.status}`);
  }
  return problems;
};

const report = (line: string) => {
  const file = process.env.TEST_OPENAPI_REPORT;
  if (file) fs.appendFileSync(file, `${line}\n`);
};

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/**
 * The same supertest agent, with every request it makes checked against the
 * document before the test's own expectations run.
 */
export const checkedAgainstDocument = (agent: Agent, api: OpenAPIBackend): Agent =>
  new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property)) return value;
      return (url: string, ...rest: unknown[]) =>
        (value as (url: string, ...rest: unknown[]) => supertest.Test)
          .call(target, url, ...rest)
          .expect((res: Response) => {
            const method = res.req?.method ?? property.toUpperCase();
            const sentPath = res.req?.path ?? url;
            const problems = problemsWith(api, method, sentPath, res);
            if (problems.length === 0) return;
            const { testPath, currentTestName } = expect.getState();
            const where = `${path.relative(ROOT, testPath ?? '')} › ${currentTestName ?? ''}`;
            const summary = `${method} ${sentPath} → ${res.status}: ${problems.join('; ')}`;
            report(`${where}: ${summary}`);
            throw new Error(`Not as docs/openapi.json describes it: ${summary}`);
          });
    },
  });

/** A client for an app running elsewhere (its base URL), checked the same way. */
export const checkedClientFor = async (baseUrl: string): Promise<Agent> =>
  checkedAgainstDocument(supertest(baseUrl), await loadDocument());
