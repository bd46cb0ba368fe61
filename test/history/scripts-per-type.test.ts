/**
 * The operations scripts on every versioned type's chain, not only the
 * settings': `--type <key or uid>` picks a chain (its tables, its derived key),
 * `--type all` (adopt, restore-epoch; resign's default) takes every chain in one
 * transaction. Run as an operator runs them, as child processes against the
 * app's real database, with the app running:
 *   - an unknown --type: exit 2, the chains there are named, nothing changed;
 *   - export and offline verify of the home page's chain;
 *   - archive and restore of it, into its own folder;
 *   - a key rotation: both chains stop, `adopt --type home-page` adopts that one,
 *     `adopt --type all` the rest, and both take writes again, verify ok;
 *   - a lost key: `history:resign` (no --type) re-anchors both chains;
 *   - a chain emptied under content that has a version (an import without the
 *     chain): the start refuses to begin a new one, logs why and what to run,
 *     and writes stay refused until `adopt --type home-page`; content that
 *     predates versioning still gets its first version on its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyIdOf } from '../../cms/server/src/chain';
import { knexOf } from '../helpers/chain';
import { createTestDatabase, ROOT, type TestDatabase } from '../helpers/database';
import {
  createApiToken,
  ensureHomePage,
  HOME_PAGE_UID,
  HOME_TABLES,
  homeHistory,
  restOf,
} from '../helpers/home-page';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { expectExit } from '../ops/helpers/archive';
import { runScript } from '../ops/helpers/scripts';

// 32 bytes in hex each, as production requires.
const OLD_KEY = 'd4'.repeat(32);
const NEW_KEY = 'e5'.repeat(32);
const REPLACEMENT_KEY = 'f6'.repeat(32);

let database: TestDatabase;
let dir: string;
let app: TestApp | null = null;
let token: Awaited<ReturnType<typeof createApiToken>>;
/** The keys the app and the scripts use now. */
let keys: Record<string, string> = {
  HISTORY_SIGNING_KEY: OLD_KEY,
  HISTORY_SIGNING_KEY_PREVIOUS: '',
};

// Everything the app logs, to read what a start said (the runner's own capture folder when set).
const ownCapture = !process.env.TEST_CAPTURE_DIR;
const captureDir =
  process.env.TEST_CAPTURE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ps-log-'));
process.env.TEST_CAPTURE_DIR = captureDir;
const appLog = () => {
  const file = path.join(captureDir, `${process.pid}-logs.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
};

const boot = async () => {
  app = await bootApp({ database, env: keys });
  token = await createApiToken(app);
  return app;
};
const restart = async () => {
  await app?.stop({ keepDatabase: true });
  return boot();
};

const script = (name: string, args: string[]) =>
  runScript(process.execPath, [path.join(ROOT, 'scripts', `history-${name}.mjs`), ...args], {
    ...database.env,
    ...keys,
  });

const putHome = (title: string) =>
  restOf(app!)
    .put('/api/home-page')
    .set(token.headers)
    .send({ data: { features: [{ title, text: 'x', icon: 'bolt' }] } });
const putSettings = (tagline: string) =>
  app!.request.put('/api/platform-settings').set(founderHeaders).send({ data: { tagline } });
const verifyHome = async () =>
  (await restOf(app!).get('/api/home-page/history/verify').set(token.headers).expect(200)).body
    .data;
const verifySettings = async () =>
  (await app!.request.get('/api/platform-settings/history/verify').set(founderHeaders).expect(200))
    .body.data;

/** Everything the scripts could change, to prove a refused run changed nothing. */
const chainState = async () => {
  const db = knexOf(app!.strapi);
  const read = (table: string) => db(table).select('*').orderBy('id');
  return {
    settingsHead: await read('platform_settings_chain_head'),
    settingsHistory: await read('platform_settings_history'),
    homeHead: await read(HOME_TABLES.head),
    homeHistory: await read(HOME_TABLES.history),
    homeCheckpoints: await read(HOME_TABLES.checkpoints),
    homeLive: await read(HOME_TABLES.live),
  };
};

beforeAll(async () => {
  database = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-scripts-per-type-'));
  await boot();
  await ensureHomePage(app!);
  for (const title of ['Two', 'Three', 'Four']) expect((await putHome(title)).status).toBe(200);
  for (const tagline of ['Settings two', 'Settings three']) {
    expect((await putSettings(tagline)).status).toBe(200);
  }
  expect(await verifyHome()).toMatchObject({ ok: true, versions: 4 });
}, 180_000);
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  if (ownCapture) {
    delete process.env.TEST_CAPTURE_DIR;
    fs.rmSync(captureDir, { recursive: true, force: true });
  }
});

it('an unknown --type is bad usage: exit 2, the chains there are named, nothing changed', async () => {
  const before = await chainState();
  const out = path.join(dir, 'unknown.ndjson');
  const runs = [
    script('adopt', ['--type', 'nope', '--yes']),
    script('resign', ['--type', 'api::nope.nope', '--trust-current-contents', '--yes']),
    script('export', ['--type', 'nope', '--out', out]),
    script('archive', ['--type', 'nope', '--keep', '0', '--dir', dir]),
    script('restore', ['--type', 'nope', '--dir', dir]),
    script('restore-epoch', ['--type', 'nope', '--yes']),
    // Scripts that take one chain do not take them all.
    script('export', ['--type', 'all', '--out', out]),
  ];
  for (const result of await Promise.all(runs)) {
    expectExit(result, 2);
    expect(result.stderr).toMatch(
      /--type (nope|api::nope\.nope|all) is not|--type all is not accepted/
    );
  }
  const named = (await runs[0]).stderr;
  expect(named).toContain('settings (plugin::platform-settings.setting)');
  expect(named).toContain(`home-page (${HOME_PAGE_UID})`);
  expect(fs.existsSync(out)).toBe(false);
  expect(await chainState()).toEqual(before);
}, 120_000);

it("export and verify --type: the home page's chain, offline, under the key derived for it", async () => {
  const file = path.join(dir, 'home-page.ndjson');
  expectExit(await script('export', ['--type', HOME_PAGE_UID, '--out', file]), 0);
  const [header, ...lines] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  expect(header.chainType).toMatchObject({ uid: HOME_PAGE_UID, key: 'home-page' });
  expect(lines.filter((line) => line.type === 'row').map((line) => line.version)).toEqual([
    1, 2, 3, 4,
  ]);

  const ok = expectExit(await script('verify', [file, '--type', 'home-page']), 0);
  expect(ok.stdout).toContain(`Chain: home-page (${HOME_PAGE_UID})`);
  expect(ok.stdout).toContain('OK: 4 versions verified, head 4');
  // The export says which chain it holds: another --type is refused.
  expect(expectExit(await script('verify', [file, '--type', 'settings']), 2).stderr).toContain(
    'holds the chain of home-page'
  );
  // Under the settings' own key (not derived for the type), nothing verifies.
  const relabelled = path.join(dir, 'relabelled.ndjson');
  fs.writeFileSync(
    relabelled,
    [
      JSON.stringify({ ...header, chainType: undefined }),
      ...lines.map((l) => JSON.stringify(l)),
    ].join('\n')
  );
  expect(expectExit(await script('verify', [relabelled]), 1).stdout).toMatch(/BROKEN at version 1/);
  // An edited row in the export is caught.
  const edited = path.join(dir, 'edited.ndjson');
  fs.writeFileSync(
    edited,
    [
      JSON.stringify(header),
      ...lines.map((line) =>
        JSON.stringify(
          line.type === 'row' && line.version === 2
            ? { ...line, data: { ...line.data, features: [] } }
            : line
        )
      ),
    ].join('\n')
  );
  expect(expectExit(await script('verify', [edited]), 1).stdout).toMatch(
    /BROKEN at version 2 \(altered\)/
  );

  // The settings' export is unchanged by default.
  const settingsFile = path.join(dir, 'settings.ndjson');
  expectExit(await script('export', ['--out', settingsFile]), 0);
  expect(expectExit(await script('verify', [settingsFile]), 0).stdout).toContain(
    'OK: 3 versions verified, head 3'
  );
}, 120_000);

it("archive and restore --type: the home page's old versions go to their own folder and come back", async () => {
  const archives = path.join(dir, 'archives');
  expectExit(await script('archive', ['--type', 'home-page', '--keep', '1', '--dir', archives]), 0);
  const files = fs.readdirSync(path.join(archives, 'home-page'));
  expect(files).toEqual(['history-v0000000001-v0000000003.jsonl.gz']);
  // The settings' folder holds no home page file.
  expect(fs.readdirSync(archives).filter((name) => name.endsWith('.gz'))).toEqual([]);
  expect((await homeHistory(app!)).map((row) => row.version)).toEqual([4]);
  expect(await verifyHome()).toMatchObject({
    ok: true,
    versions: 1,
    archived: { versions: 3, checkpoints: 1 },
  });

  // A home page file is not put back into the settings' chain.
  const file = path.join(archives, 'home-page', files[0]);
  expect(expectExit(await script('restore', [file]), 1).stderr).toContain(
    'holds the history of home-page, not of settings'
  );
  expectExit(await script('restore', ['--type', 'home-page', '--dir', archives]), 0);
  expect((await homeHistory(app!)).map((row) => row.version)).toEqual([1, 2, 3, 4]);
  expect(await verifyHome()).toMatchObject({ ok: true, versions: 4, archived: { versions: 0 } });
}, 120_000);

it('a key rotation: adopt --type home-page adopts that chain, --type all the rest; both take writes again', async () => {
  keys = { HISTORY_SIGNING_KEY: NEW_KEY, HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY };
  await restart();
  expect(await verifyHome()).toMatchObject({ ok: false, reason: 'wrong-key' });
  expect(await verifySettings()).toMatchObject({ ok: false, reason: 'wrong-key' });
  expect((await putHome('Refused')).status).toBe(503);
  expect((await putSettings('Refused')).status).toBe(503);

  const dryRun = expectExit(await script('adopt', ['--type', 'home-page']), 3);
  expect(dryRun.stdout).toContain(`home-page (${HOME_PAGE_UID}):`);
  expect(dryRun.stdout).toContain('Key rotation: rows up to version 4');
  expectExit(await script('adopt', ['--type', 'home-page', '--yes']), 0);
  expect(await verifyHome()).toMatchObject({
    ok: true,
    versions: 4,
    events: [{ kind: 'rotate', atVersion: 4 }],
  });
  // The settings' chain was not touched.
  expect(await verifySettings()).toMatchObject({ ok: false, reason: 'wrong-key' });

  const all = expectExit(await script('adopt', ['--type', 'all', '--yes']), 0);
  expect(all.stdout).toContain('the settings:');
  expect(all.stdout).toMatch(/home-page \(api::home-page\.home-page\):\n\s+Nothing to adopt/);
  expect(await verifySettings()).toMatchObject({
    ok: true,
    keyId: keyIdOf(NEW_KEY),
    events: [{ kind: 'rotate', atVersion: 3 }],
  });

  expect((await putHome('After the rotation')).status).toBe(200);
  expect((await putSettings('After the rotation')).status).toBe(200);
  expect(await verifyHome()).toMatchObject({ ok: true, versions: 5 });
  expect(await verifySettings()).toMatchObject({ ok: true, versions: 4 });
}, 240_000);

it('a lost key: history:resign with no --type re-anchors every chain, and both take writes again', async () => {
  keys = { HISTORY_SIGNING_KEY: REPLACEMENT_KEY, HISTORY_SIGNING_KEY_PREVIOUS: '' };
  await restart();
  expect((await putHome('Refused')).status).toBe(503);
  expect((await putSettings('Refused')).status).toBe(503);

  const dryRun = expectExit(await script('resign', ['--trust-current-contents']), 3);
  expect(dryRun.stdout).toContain(`the settings, home-page (${HOME_PAGE_UID})`);
  const resigned = expectExit(await script('resign', ['--trust-current-contents', '--yes']), 0);
  expect(resigned.stdout).toContain('the settings: signed');
  expect(resigned.stdout).toContain(`home-page (${HOME_PAGE_UID}): signed`);
  expect(resigned.stdout).toContain('"chainType":"home-page"');

  expect(await verifyHome()).toMatchObject({
    ok: true,
    versions: 5,
    events: [{ kind: 'adopt', trusted: true }],
  });
  expect(await verifySettings()).toMatchObject({ ok: true, keyId: keyIdOf(REPLACEMENT_KEY) });
  expect((await putHome('After the new key')).status).toBe(200);
  expect((await putSettings('After the new key')).status).toBe(200);
  expect(await verifyHome()).toMatchObject({ ok: true, versions: 6 });
  expect(await verifySettings()).toMatchObject({ ok: true, versions: 5 });

  // A restore of a backup, recorded for the home page's chain alone.
  expectExit(
    await script('restore-epoch', ['--type', 'home-page', '--yes', '--expect-version', '6']),
    0
  );
  expect((await verifyHome()).events.map((event: { kind: string }) => event.kind)).toEqual([
    'adopt',
    'restore-epoch',
  ]);
  expect((await verifySettings()).events.map((event: { kind: string }) => event.kind)).toEqual([
    'adopt',
  ]);
}, 240_000);

it('a chain emptied under versioned content is not restarted by the start: writes wait for adopt --type', async () => {
  // What `strapi import` of a file without the chain leaves: the content, with its version; no chain.
  const db = knexOf(app!.strapi);
  for (const table of [HOME_TABLES.history, HOME_TABLES.checkpoints, HOME_TABLES.head]) {
    await db(table).del();
  }
  await restart();
  const log = appLog();
  expect(log).toContain(
    `the history chain of ${HOME_PAGE_UID} is empty, but its content is at version 6`
  );
  expect(log).toContain('npm run history:adopt -- --type home-page');
  expect(await homeHistory(app!)).toEqual([]);
  expect(await knexOf(app!.strapi)(HOME_TABLES.head).first()).toBeUndefined();
  expect(await verifyHome()).toMatchObject({ ok: false, reason: 'head-missing' });
  const refused = await putHome('Refused');
  expect(refused.status).toBe(503);
  expect(refused.body.error.message).toMatch(/^Writes to Home page are stopped/);
  // The settings go on.
  expect((await putSettings('While the home page waits')).status).toBe(200);

  // Neither all-chain command decides a lost chain.
  const before = await chainState();
  const all = expectExit(await script('adopt', ['--type', 'all', '--yes']), 1);
  expect(all.stderr).toContain('the chain was lost');
  expect(all.stderr).toContain('npm run history:adopt -- --type home-page');
  const resign = expectExit(await script('resign', ['--trust-current-contents', '--yes']), 1);
  expect(resign.stderr).toContain('npm run history:adopt -- --type home-page');
  expect(await chainState()).toEqual(before);

  const dryRun = expectExit(await script('adopt', ['--type', 'home-page']), 3);
  expect(dryRun.stdout).toContain('the content is at version 6');
  expect(await chainState()).toEqual(before);
  const adopted = expectExit(await script('adopt', ['--type', 'home-page', '--yes']), 0);
  expect(adopted.stdout).toContain('"lostAtVersion":6');

  // The next start begins the new chain at what is published.
  await restart();
  const history = await homeHistory(app!);
  expect(history.map((row) => [row.version, row.change_type])).toEqual([[1, 'create']]);
  expect(history[0].data.features.map((feature) => feature.title)).toEqual(['After the new key']);
  expect(await verifyHome()).toMatchObject({
    ok: true,
    versions: 1,
    events: [{ kind: 'adopt', atVersion: 0 }],
  });
  const put = await putHome('On the new chain');
  expect(put.status).toBe(200);
  expect(put.body.data.version).toBe(2);
  expect(await verifyHome()).toMatchObject({ ok: true, versions: 2 });
}, 240_000);

it('content that predates versioning (no version) still gets its first version at the start', async () => {
  const db = knexOf(app!.strapi);
  for (const table of [HOME_TABLES.history, HOME_TABLES.checkpoints, HOME_TABLES.head]) {
    await db(table).del();
  }
  await db(HOME_TABLES.live).update({ version: null });
  await restart();
  const history = await homeHistory(app!);
  expect(history.map((row) => [row.version, row.change_type, row.note])).toEqual([
    [1, 'create', 'Versioning switched on: the content as it was published'],
  ]);
  expect(await verifyHome()).toMatchObject({ ok: true, versions: 1 });
  expect((await putHome('Writes go on')).status).toBe(200);
}, 180_000);
