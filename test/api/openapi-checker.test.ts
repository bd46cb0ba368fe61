/**
 * The check every server test's responses go through (helpers/openapi.ts): it
 * refuses each kind of answer docs/openapi.json does not describe, and lets
 * through the ones it does and the routes it exempts. No server: made-up responses.
 */
import type OpenAPIBackend from 'openapi-backend';
import { loadDocument, problemsWith } from '../helpers/openapi';

let api: OpenAPIBackend;
beforeAll(async () => {
  api = await loadDocument();
});

const settings = {
  version: 3,
  updatedAt: '2026-11-26T10:00:00.000Z',
  siteName: 'Acme',
  tagline: null,
  heroTitle: 'Hello',
  heroSubtitle: null,
  ctaLabel: null,
  ctaUrl: '/signup',
  primaryColor: '#4F46E5',
  accentColor: null,
  backgroundColor: '',
  hero3dEnabled: true,
  hero3dDensity: 1200,
  hero3dSpeed: 1.5,
  maintenanceMode: false,
};

const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  ({
    status,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body ?? {},
    text: body === undefined ? '' : JSON.stringify(body),
  }) as never;

const readHeaders = {
  etag: '"3-0123456789abcdef"',
  'x-settings-version': '3',
  'cache-control': 'public, max-age=60, s-maxage=60, stale-while-revalidate=30',
};
const check = (method: string, path: string, res: never) => problemsWith(api, method, path, res);

it('accepts what the document describes', () => {
  expect(
    check('GET', '/api/platform-settings', answer(200, { data: settings, meta: {} }, readHeaders))
  ).toEqual([]);
  expect(check('GET', '/api/platform-settings', answer(304, undefined, readHeaders))).toEqual([]);
  const invalid = {
    data: null,
    error: {
      status: 422,
      name: 'ValidationError',
      message: 'Invalid version',
      details: {
        errors: [
          {
            path: ['version'],
            message: 'must be a positive whole number',
            name: 'ValidationError',
          },
        ],
      },
    },
  };
  expect(
    check(
      'GET',
      '/api/platform-settings/history/versions/x',
      answer(422, invalid, { 'cache-control': 'no-store' })
    )
  ).toEqual([]);
});

it('refuses an undocumented status, header, body or route', () => {
  expect(check('GET', '/api/platform-settings', answer(418, { data: null }))).toEqual([
    'getSettings does not document status 418',
  ]);
  expect(
    check(
      'GET',
      '/api/platform-settings',
      answer(200, { data: settings, meta: {} }, { ...readHeaders, 'x-secret': '1' })
    )
  ).toEqual(['header x-secret is not documented for getSettings 200']);
  const { etag: _etag, ...withoutEtag } = readHeaders;
  expect(
    check('GET', '/api/platform-settings', answer(200, { data: settings, meta: {} }, withoutEtag))
  ).toEqual(['header etag is missing']);
  expect(
    check(
      'GET',
      '/api/platform-settings',
      answer(200, { data: { ...settings, extra: 1 }, meta: {} }, readHeaders)
    )[0]
  ).toMatch(/^body: \/data must NOT have additional properties/);
  expect(
    check(
      'GET',
      '/api/platform-settings',
      answer(200, { data: { ...settings, primaryColor: 'teal' }, meta: {} }, readHeaders)
    )[0]
  ).toMatch(/^body: \/data\/primaryColor must match pattern/);
  expect(
    check('GET', '/api/platform-settings', answer(304, { data: settings }, readHeaders))
  ).toEqual(['getSettings 304 has a body the document does not describe']);
  expect(check('DELETE', '/api/platform-settings', answer(200, { data: null }))).toEqual([
    'answered 200, but the document has no DELETE /api/platform-settings',
  ]);
});

it('lets through what no route answered, and the routes outside the document', () => {
  expect(check('DELETE', '/api/platform-settings', answer(405))).toEqual([]);
  expect(check('GET', '/api/no-such-thing', answer(404, { data: null }))).toEqual([]);
  for (const path of ['/_health', '/metrics', '/admin/users/me', '/platform-settings/history'])
    expect(check('GET', path, answer(200, { anything: true }))).toEqual([]);
  expect(check('OPTIONS', '/api/platform-settings', answer(204))).toEqual([]);
});
