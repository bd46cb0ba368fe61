/**
 * Property-based: random bodies, headers, versions and paging values on every
 * route. The server may refuse, but never with a 5xx, and a refused request
 * never changes the live version. Like every response through `app.request`,
 * each answer must be one docs/openapi.json describes (helpers/openapi.ts).
 */
import fc from 'fast-check';
import { checkedAnswers } from '../helpers/openapi';
import { bootApp, FOUNDER_KEY, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());

const FIELDS = [
  'siteName',
  'heroTitle',
  'ctaUrl',
  'primaryColor',
  'hero3dDensity',
  'hero3dSpeed',
  'maintenanceMode',
  'version',
  'updatedAt',
  'bogus',
  '__proto__',
  'constructor',
];
const anyValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('#ABCDEF', '#abc', '/path', 'https://example.com', '//evil', ''),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 })
);
const settingsData = fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 5 });
// Mostly invalid input, plus enough valid updates that writes, stale If-Match and replays happen too.
const validUpdate = fc.record({
  data: fc.record(
    {
      heroTitle: fc
        .string({ minLength: 1, maxLength: 100 })
        .filter((value) => value.trim().length > 0),
      hero3dDensity: fc.integer({ min: 0, max: 5000 }),
      primaryColor: fc.constantFrom('#112233', '#ABCDEF', '#000000'),
    },
    { requiredKeys: ['heroTitle'] }
  ),
});
const body = fc.oneof(
  validUpdate,
  fc.record(
    { data: settingsData, note: fc.option(fc.string({ maxLength: 600 }), { nil: undefined }) },
    { requiredKeys: [] }
  ),
  settingsData,
  fc.jsonValue({ maxDepth: 3 })
);
const pathSegment = fc.oneof(
  fc.nat({ max: 50 }).map(String),
  fc.integer().map(String),
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('1', '0', '-1', '1.5', '1e3', '99999999999999999999', '%00', '..', 'null')
);
const query = fc.dictionary(
  fc.constantFrom('page', 'pageSize', 'pinned', 'dryRun', 'x'),
  fc.oneof(fc.string({ maxLength: 10 }), fc.nat().map(String)),
  { maxKeys: 3 }
);
const headers = fc.record(
  {
    'If-Match': fc.oneof(
      fc.constant('*'),
      fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v))
    ),
    'If-None-Match': fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
    'Idempotency-Key': fc.string({ maxLength: 300 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
    'X-Founder-Key': fc.oneof(
      fc.constant(FOUNDER_KEY),
      fc.constant(FOUNDER_KEY),
      fc.string({ maxLength: 50 }).filter((v) => /^[\x21-\x7e]*$/.test(v))
    ),
  },
  { requiredKeys: [] }
);
const route = fc.oneof(
  fc.record({ method: fc.constant('put'), path: fc.constant('/api/platform-settings') }),
  fc.record({ method: fc.constant('get'), path: fc.constant('/api/platform-settings') }),
  fc.record({
    method: fc.constant('get'),
    path: fc.constant('/api/platform-settings/history/versions'),
  }),
  fc.record({
    method: fc.constant('get'),
    path: fc.constant('/api/platform-settings/history/verify'),
  }),
  pathSegment.map((version) => ({
    method: 'get',
    path: `/api/platform-settings/history/versions/${version}`,
  })),
  pathSegment.map((version) => ({
    method: 'post',
    path: `/api/platform-settings/rollback/${version}`,
  }))
);

const liveVersion = async () => {
  const row = await app.strapi.db.connection('platform_settings').first('version');
  return Number(row.version);
};

it('never answers 5xx, and never changes the version on a refused request', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      route,
      query,
      headers,
      body,
      async ({ method, path }, queryParams, requestHeaders, requestBody) => {
        await app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits();
        const before = await liveVersion();
        let request = (
          app.request as unknown as Record<
            string,
            (url: string) => ReturnType<typeof app.request.get>
          >
        )
          [method](path)
          .query(queryParams)
          .set(requestHeaders as Record<string, string>);
        if (method !== 'get') {
          // Serialised by hand: superagent refuses bare JSON scalars such as `true`.
          request = request
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(requestBody));
        }
        const res = await request;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          // 405 comes from Strapi's router (a path like /rollback/..), with no body.
          if (res.status !== 405)
            expect(res.body).toMatchObject({ data: null, error: { status: res.status } });
          expect(await liveVersion()).toBe(before);
        }
      }
    ),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 600) }
  );
  // The generators reach the interesting outcomes, not only one kind of refusal.
  for (const status of [200, 401, 403, 404, 412, 422])
    expect(statuses.get(status)).toBeGreaterThan(0);
  // And every operation's answers were checked against the document, not passed over.
  const checkedOperations = new Set([...checkedAnswers.keys()].map((key) => key.split(' ')[0]));
  expect([...checkedOperations].sort()).toEqual(
    [
      'getSettings',
      'getVersion',
      'listVersions',
      'rollback',
      'updateSettings',
      'verifyHistory',
    ].sort()
  );
}, 180_000);
