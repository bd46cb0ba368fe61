/**
 * The home page's chain under the same attacks as the settings' (see
 * test/history/tamper.test.ts), by someone who can write the database but has
 * no key: each is reported with the first bad version and why, an edit where
 * the chain ends stops the next write, and an edited snapshot is never
 * restored. Also what is new with several chains: a row or head copied from
 * the settings' chain (signed with the settings' key) does not verify here.
 */
import { chainTablesFor, legacyRowHash, rowFromDb, rowToDb } from '../../cms/server/src/chain';
import {
  deleteHead,
  deleteRows,
  editHead,
  editRow,
  knexOf,
  moveHead,
  readRow,
} from '../helpers/chain';
import { createApiToken, ensureHomePage, restOf } from '../helpers/home-page';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

const HOME = chainTablesFor('home_pages');
let app: TestApp;
let token: Awaited<ReturnType<typeof createApiToken>>;
type Undo = () => Promise<void>;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
  token = await createApiToken(app);
  // Versions 2..6.
  for (let index = 2; index <= 6; index += 1) {
    await restOf(app)
      .put('/api/home-page')
      .set(token.headers)
      .send({
        data: { closingCta: { heading: `Launch ${index}`, label: 'Go', url: `/go-${index}` } },
      })
      .expect(200);
  }
});
afterAll(() => app?.stop());

const verify = async () =>
  (await restOf(app).get('/api/home-page/history/verify').set(token.headers).expect(200)).body.data;
const historyRows = async () =>
  Number((await knexOf(app.strapi)(HOME.history).count('* as n').first())?.n ?? 0);

/** The published SEO title changed in its component table, behind every API. */
const editLiveTitle = async (title: string): Promise<Undo> => {
  const db = knexOf(app.strapi);
  const rows = (await db('components_home_seos').select('id', 'title')) as Array<{
    id: number;
    title: string;
  }>;
  await db('components_home_seos').update({ title });
  return async () => {
    for (const row of rows) await db('components_home_seos').where({ id: row.id }).update(row);
  };
};

const cases: Array<[string, () => Promise<Undo>, { brokenAt: number; reason: string }, boolean?]> =
  [
    [
      'a middle row deleted',
      () => deleteRows(app.strapi, [4], HOME),
      { brokenAt: 4, reason: 'missing' },
    ],
    [
      'the newest row deleted',
      () => deleteRows(app.strapi, [6], HOME),
      { brokenAt: 6, reason: 'missing' },
      true,
    ],
    [
      "a component inside a snapshot edited (version 5's closing call to action)",
      async () => {
        const row = await readRow(app.strapi, 5, HOME);
        const data = { ...row.data, closingCta: { heading: 'Phish', label: 'Go', url: '/evil' } };
        return editRow(app.strapi, 5, { data: JSON.stringify(data) }, HOME);
      },
      { brokenAt: 5, reason: 'altered' },
    ],
    [
      'changedFields of version 3 edited',
      () => editRow(app.strapi, 3, { changed_fields: JSON.stringify(['seo']) }, HOME),
      { brokenAt: 3, reason: 'altered' },
    ],
    [
      'a published component edited in its own table',
      () => editLiveTitle('Defaced'),
      { brokenAt: 6, reason: 'live-mismatch' },
      true,
    ],
    [
      'the head moved to another MAC',
      () => moveHead(app.strapi, { version: 6, mac: 'b'.repeat(64) }, HOME),
      { brokenAt: 6, reason: 'head-mismatch' },
      true,
    ],
    [
      'the whole chain recomputed with plain sha256 (no key)',
      async () => {
        const db = knexOf(app.strapi);
        const rows = (await db(HOME.history).orderBy('version')).map(rowFromDb);
        let previous = '';
        const undos: Undo[] = [];
        for (const row of rows) {
          previous = legacyRowHash(previous, row);
          undos.push(await editRow(app.strapi, row.version, { hash: previous }, HOME));
        }
        undos.push(await moveHead(app.strapi, { version: 6, mac: previous }, HOME));
        return async () => {
          for (const undo of undos.reverse()) await undo();
        };
      },
      { brokenAt: 1, reason: 'altered' },
      true,
    ],
    [
      "the head's key id changed",
      () => editHead(app.strapi, { key_id: 'x' }, HOME),
      { brokenAt: 6, reason: 'head-mismatch' },
      true,
    ],
    [
      'the head deleted',
      () => deleteHead(app.strapi, HOME),
      { brokenAt: 6, reason: 'head-missing' },
      true,
    ],
    [
      'the head signature removed',
      () => editHead(app.strapi, { signature: null, mac_format: null }, HOME),
      { brokenAt: 6, reason: 'head-mismatch' },
      true,
    ],
    [
      "the settings' head copied over the home page's (signed with the settings' key)",
      async () => {
        const db = knexOf(app.strapi);
        const columns = await db('platform_settings_chain_head').first(
          'head_mac',
          'key_id',
          'events',
          'mac_format',
          'signature'
        );
        return editHead(app.strapi, columns, HOME);
      },
      { brokenAt: 6, reason: 'head-mismatch' },
      true,
    ],
    [
      "version 2 replaced by the settings' version 1 (a row signed with the settings' key)",
      async () => {
        const settingsRow = await readRow(app.strapi, 1);
        const undo = await deleteRows(app.strapi, [2], HOME);
        await knexOf(app.strapi)(HOME.history).insert({
          ...rowToDb({ ...settingsRow, version: 2 }),
        });
        return async () => {
          await knexOf(app.strapi)(HOME.history).where({ version: 2 }).del();
          await undo();
        };
      },
      { brokenAt: 2, reason: 'altered' },
    ],
  ];

it('verifies the untouched history, apart from the settings', async () => {
  expect(await verify()).toMatchObject({ ok: true, versions: 6, head: { version: 6 } });
  const settings = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders);
  expect(settings.body.data).toMatchObject({ ok: true, versions: 1 });
});

describe.each(cases)('%s', (_name, tamper, expected, writeRefused = false) => {
  it(`is reported at version ${expected.brokenAt} as ${expected.reason}, and undone verifies again`, async () => {
    const undo = await tamper();
    try {
      const report = await verify();
      expect(report).toMatchObject({ ok: false, ...expected });
      if (writeRefused) {
        const rows = await historyRows();
        const refused = await restOf(app)
          .put('/api/home-page')
          .set(token.headers)
          .send({ data: { closingCta: { heading: 'Signed on a lie?', label: 'x', url: '/x' } } })
          .expect(503);
        expect(refused.headers['retry-after']).toBe('60');
        expect(refused.body.error.message).toMatch(/Writes to Home page are stopped/);
        expect(await historyRows()).toBe(rows);
        // The settings are another chain: they still take writes.
        await app.request
          .put('/api/platform-settings')
          .set(founderHeaders)
          .send({ data: { tagline: `Still writable ${Date.now()}` } })
          .expect(200);
      }
    } finally {
      await undo();
    }
    expect(await verify()).toMatchObject({ ok: true, versions: 6 });
  });
});

it('refuses to roll back to an edited snapshot with 409, and changes nothing', async () => {
  const row = await readRow(app.strapi, 5, HOME);
  const undo = await editRow(
    app.strapi,
    5,
    {
      data: JSON.stringify({
        ...row.data,
        closingCta: { heading: 'Phish', label: 'Go', url: '/evil' },
      }),
    },
    HOME
  );
  try {
    const res = await restOf(app).post('/api/home-page/rollback/5').set(token.headers).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.details).toMatchObject({ version: 5, integrity: 'altered' });
    expect(await historyRows()).toBe(6);
  } finally {
    await undo();
  }
  await restOf(app).post('/api/home-page/rollback/5').set(token.headers).send({}).expect(200);
  expect(await verify()).toMatchObject({ ok: true, versions: 7 });
});
