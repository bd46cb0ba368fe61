/**
 * Tamper evidence, tried as an attacker with write access to the database
 * would: five changes through the API, then one edit behind its back, then
 * verify. Every edit must be reported with the first bad version and why; an
 * edit where the chain ends (the head, the newest row, the live row) must also
 * stop the next write, so the server never signs on top of it; and a rollback
 * must refuse to publish an edited snapshot. Runs on whichever database the
 * suite runs on (SQLite, PostgreSQL, MySQL/MariaDB).
 */
import {
  CHECKPOINT_TABLE,
  HISTORY_TABLE,
  legacyRowHash,
  rowFromDb,
} from '../../cms/server/src/chain';
import {
  deleteHead,
  deleteRows,
  editHead,
  editLiveRow,
  editRow,
  knexOf,
  moveHead,
  readRow,
} from '../helpers/chain';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;

beforeAll(async () => {
  app = await bootApp();
  // Versions 2..6.
  for (let index = 2; index <= 6; index += 1) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { ctaUrl: `https://example.com/launch-${index}` } })
      .expect(200);
  }
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

const verify = async () =>
  (await app.request.get('/api/platform-settings/history/verify').set(founderHeaders).expect(200))
    .body.data;

type Undo = () => Promise<void>;

/** Rows 2..6 rewritten with the unkeyed legacy hash (new note, author and ctaUrl on 2). */
const rewriteWithLegacyHashes = async (): Promise<Undo> => {
  const undos: Undo[] = [];
  let previous = (await readRow(app.strapi, 1)).hash;
  for (let version = 2; version <= 6; version += 1) {
    const row = await readRow(app.strapi, version);
    const rewritten =
      version === 2
        ? {
            ...row,
            note: 'rewritten',
            author: { type: 'founder-key', name: 'Someone else' },
            data: { ...row.data, ctaUrl: 'https://evil.example/phish' },
          }
        : row;
    previous = legacyRowHash(previous, rewritten);
    undos.push(
      await editRow(app.strapi, version, {
        hash: previous,
        signed_with: 'sha256',
        ...(version === 2
          ? {
              note: rewritten.note,
              author: JSON.stringify(rewritten.author),
              data: JSON.stringify(rewritten.data),
            }
          : {}),
      })
    );
  }
  undos.push(await moveHead(app.strapi, { version: 6, mac: previous }));
  undos.push(await editHead(app.strapi, { key_id: 'x' }));
  return async () => {
    for (const undo of undos.reverse()) await undo();
  };
};

const cases: Array<
  [string, () => Promise<Undo>, { brokenAt: number; reason: string }, { writeRefused?: boolean }?]
> = [
  [
    'a middle row deleted (version 4 of 6)',
    () => deleteRows(app.strapi, [4]),
    { brokenAt: 4, reason: 'missing' },
  ],
  [
    'the newest row deleted (the live version)',
    () => deleteRows(app.strapi, [6]),
    { brokenAt: 6, reason: 'missing' },
    { writeRefused: true },
  ],
  [
    "a snapshot edited (version 5's ctaUrl)",
    async () => {
      const row = await readRow(app.strapi, 5);
      return editRow(app.strapi, 5, {
        data: JSON.stringify({ ...row.data, ctaUrl: 'https://evil.example/phish' }),
      });
    },
    { brokenAt: 5, reason: 'altered' },
  ],
  [
    'a row outside the snapshot edited (changedFields of version 3)',
    () => editRow(app.strapi, 3, { changed_fields: JSON.stringify(['siteName']) }),
    { brokenAt: 3, reason: 'altered' },
  ],
  [
    'the live row changed (its cta_url)',
    () => editLiveRow(app.strapi, { cta_url: 'https://evil.example/phish' }),
    { brokenAt: 6, reason: 'live-mismatch' },
    { writeRefused: true },
  ],
  [
    'rows 2–3 deleted: a gap no checkpoint covers',
    () => deleteRows(app.strapi, [2, 3]),
    { brokenAt: 2, reason: 'missing' },
  ],
  [
    'rows 2–3 deleted behind a forged checkpoint',
    async () => {
      const row1 = await readRow(app.strapi, 1);
      const row3 = await readRow(app.strapi, 3);
      const undoRows = await deleteRows(app.strapi, [2, 3]);
      const now = new Date();
      await knexOf(app.strapi)(CHECKPOINT_TABLE).insert({
        document_id: 'forged',
        from_version: 2,
        to_version: 3,
        prev_mac: row1.hash,
        last_mac: row3.hash,
        file_digest: 'f'.repeat(64),
        file_name: 'history-v0000000002-v0000000003.jsonl.gz',
        row_count: 2,
        rows_key_id: row3.signedWith,
        archived_at: now,
        mac: 'a'.repeat(64),
        signed_with: row3.signedWith,
        created_at: now,
        updated_at: now,
        published_at: now,
      });
      return async () => {
        await knexOf(app.strapi)(CHECKPOINT_TABLE).where({ document_id: 'forged' }).del();
        await undoRows();
      };
    },
    { brokenAt: 2, reason: 'forged-gap' },
  ],
  [
    'the head moved to another MAC',
    () => moveHead(app.strapi, { version: 6, mac: 'b'.repeat(64) }),
    { brokenAt: 6, reason: 'head-mismatch' },
    { writeRefused: true },
  ],
  [
    'the whole chain recomputed with plain sha256 (no key)',
    async () => {
      const db = knexOf(app.strapi);
      const rows = (await db(HISTORY_TABLE).orderBy('version')).map(rowFromDb);
      let previous = '';
      const undos: Undo[] = [];
      for (const row of rows) {
        previous = legacyRowHash(previous, row);
        undos.push(await editRow(app.strapi, row.version, { hash: previous }));
      }
      undos.push(await moveHead(app.strapi, { version: 6, mac: previous }));
      return async () => {
        for (const undo of undos.reverse()) await undo();
      };
    },
    { brokenAt: 1, reason: 'altered' },
    { writeRefused: true },
  ],
  [
    'rows 2–6 rewritten with the unkeyed hash, marked sha256, the head moved to them under key "x"',
    rewriteWithLegacyHashes,
    { brokenAt: 2, reason: 'unsigned' },
    { writeRefused: true },
  ],
  [
    "the head's key id changed",
    () => editHead(app.strapi, { key_id: 'x' }),
    { brokenAt: 6, reason: 'head-mismatch' },
    { writeRefused: true },
  ],
  [
    'the head record deleted',
    () => deleteHead(app.strapi),
    { brokenAt: 6, reason: 'head-missing' },
    { writeRefused: true },
  ],
  [
    'an event forged into the head (a rotation trusting another key)',
    () =>
      editHead(app.strapi, {
        events: JSON.stringify([
          {
            kind: 'rotate',
            at: new Date().toISOString(),
            atVersion: 6,
            atMac: 'c'.repeat(64),
            fromKeyId: 'x',
            toKeyId: 'y',
          },
        ]),
      }),
    { brokenAt: 6, reason: 'head-mismatch' },
    { writeRefused: true },
  ],
  [
    'the head signature removed',
    () => editHead(app.strapi, { signature: null, mac_format: null }),
    { brokenAt: 6, reason: 'head-mismatch' },
    { writeRefused: true },
  ],
  [
    'the newest version deleted and the head and live row set back to version 5 (truncation)',
    async () => {
      const row5 = await readRow(app.strapi, 5);
      const undoRows = await deleteRows(app.strapi, [6]);
      const undoHead = await moveHead(app.strapi, { version: 5, mac: row5.hash });
      const undoLive = await editLiveRow(app.strapi, {
        version: 5,
        cta_url: row5.data.ctaUrl,
      });
      return async () => {
        await undoLive();
        await undoHead();
        await undoRows();
      };
    },
    { brokenAt: 5, reason: 'head-mismatch' },
    { writeRefused: true },
  ],
  [
    "version 4's MAC format set back to the unnamed format 1",
    () => editRow(app.strapi, 4, { mac_format: null }),
    { brokenAt: 4, reason: 'altered' },
  ],
  [
    "version 6's MAC format set to one this server does not know",
    () => editRow(app.strapi, 6, { mac_format: 99 }),
    { brokenAt: 6, reason: 'altered' },
    { writeRefused: true },
  ],
];

it('verifies the untouched history', async () => {
  expect(await verify()).toMatchObject({
    ok: true,
    versions: 6,
    head: { version: 6 },
    archived: { versions: 0, checkpoints: 0 },
  });
});

const historyRows = async () =>
  Number((await knexOf(app.strapi)(HISTORY_TABLE).count('* as n').first())?.n ?? 0);

describe.each(cases)('%s', (_name, tamper, expected, options = {}) => {
  it(`is reported at version ${expected.brokenAt} as ${expected.reason}, and undone verifies again`, async () => {
    const undo = await tamper();
    try {
      const report = await verify();
      expect(report).toMatchObject({ ok: false, ...expected });
      expect(typeof report.message).toBe('string');
      if (options.writeRefused) {
        // Nothing is signed on top of it, and nothing changes.
        const rows = await historyRows();
        const refused = await app.request
          .put('/api/platform-settings')
          .set(founderHeaders)
          .send({ data: { tagline: 'Signed on top of a lie?' } })
          .expect(503);
        expect(refused.headers['retry-after']).toBe('60');
        expect(refused.body.error.message).toMatch(/Settings writes are stopped/);
        expect(await historyRows()).toBe(rows);
        expect(await verify()).toMatchObject({ ok: false, ...expected });
      }
    } finally {
      await undo();
    }
    expect(await verify()).toMatchObject({ ok: true, versions: 6 });
  });
});

it('refuses to roll back to an edited snapshot, and changes nothing', async () => {
  const row = await readRow(app.strapi, 5);
  const undo = await editRow(app.strapi, 5, {
    data: JSON.stringify({ ...row.data, ctaUrl: 'https://evil.example/phish' }),
  });
  try {
    const res = await app.request
      .post('/api/platform-settings/rollback/5')
      .set(founderHeaders)
      .send({})
      .expect(409);
    expect(res.body.error).toMatchObject({
      name: 'ConflictError',
      details: { version: 5, integrity: 'altered' },
    });
    expect(res.body.error.message).toMatch(/changed outside the API/);
    const live = await app.request.get('/api/platform-settings').expect(200);
    expect(live.body.data).toMatchObject({ version: 6, ctaUrl: 'https://example.com/launch-6' });
  } finally {
    await undo();
  }
  // Intact again: the same rollback goes through.
  await app.request
    .post('/api/platform-settings/rollback/5')
    .set(founderHeaders)
    .send({})
    .expect(200);
  expect(await verify()).toMatchObject({ ok: true, versions: 7 });
});
