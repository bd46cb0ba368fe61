/**
 * The history page must stay usable with 10,000 versions: the admin API
 * pages on the server and never loads the whole history.
 */
import { bootApp, type TestApp } from '../helpers/strapi';
import { HISTORY_TABLE } from '../helpers/history';
import { auth, registerSuperAdmin, type SignedInAdmin } from './admin-users';

const VERSIONS = 10_000;

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp();
  admin = await registerSuperAdmin(app);
  // Rows written straight to the table: only the paging is under test here, not the chain.
  // (How fast a page is, is measured by `npm run bench`, not asserted here.)
  const [first] = await app.strapi.db.connection(HISTORY_TABLE).select('*').where({ version: 1 });
  const { id: _id, ...template } = first as Record<string, unknown>;
  // Drivers hand JSON columns back parsed on some databases; write them back as text.
  for (const column of ['data', 'changed_fields', 'author']) {
    if (typeof template[column] !== 'string') template[column] = JSON.stringify(template[column]);
  }
  const rows = Array.from({ length: VERSIONS - 1 }, (_, index) => {
    const version = index + 2;
    return {
      ...template,
      document_id: `v${version}`,
      version,
      change_type: 'update',
      pinned: version % 1000 === 0,
    };
  });
  for (let start = 0; start < rows.length; start += 500) {
    await app.strapi.db.connection(HISTORY_TABLE).insert(rows.slice(start, start + 500));
  }
}, 120_000);
afterAll(() => app?.stop());

const list = (query: string) =>
  app.request.get(`/platform-settings/history?${query}`).set(auth(admin.token)).expect(200);

it('serves any page of 10,000 versions, newest first', async () => {
  const first = await list('page=1&pageSize=25');
  const last = await list('page=400&pageSize=25');

  expect(first.body.meta.pagination).toEqual({
    page: 1,
    pageSize: 25,
    pageCount: 400,
    total: VERSIONS,
  });
  expect(first.body.data).toHaveLength(25);
  expect(first.body.data[0].version).toBe(VERSIONS);
  expect(last.body.data.map((entry: { version: number }) => entry.version).at(-1)).toBe(1);
});

it('filters the pinned ones on the server', async () => {
  const pinned = await list('pinned=true&pageSize=100');
  expect(pinned.body.meta.pagination.total).toBe(VERSIONS / 1000);
  expect(pinned.body.data.every((entry: { pinned: boolean }) => entry.pinned)).toBe(true);
});

it('refuses to hand out more than 100 rows at once', async () => {
  await app.request
    .get('/platform-settings/history?pageSize=10000')
    .set(auth(admin.token))
    .expect(422);
});
