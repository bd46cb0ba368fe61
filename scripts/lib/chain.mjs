/**
 * The history chain for the operations scripts: the plugin package's own `./chain`
 * export (its build in `cms/dist/chain`, made by `npm run build -w cms`, which every
 * npm entry point runs first), so the scripts sign and check exactly as the server
 * does. And the signing key, from the same places the server takes it.
 */
import snakeCase from 'lodash/snakeCase.js';

export const chain = await import('strapi-plugin-platform-settings/chain').catch((error) => {
  if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  throw new Error('The plugin is not built: run `npm run build -w cms` first', { cause: error });
});

/**
 * HISTORY_SIGNING_KEY (and HISTORY_SIGNING_KEY_PREVIOUS after a rotation); outside
 * production, the development key the CMS generated and keeps in the database.
 */
export const loadKeys = async (db, env = process.env) => {
  if (env.HISTORY_SIGNING_KEY) {
    return chain.keyRingOf(env.HISTORY_SIGNING_KEY, env.HISTORY_SIGNING_KEY_PREVIOUS);
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('HISTORY_SIGNING_KEY is not set (it is required in production)');
  }
  if (!db) throw new Error('Set HISTORY_SIGNING_KEY: the key the history was signed with');
  const head = await db(chain.HEAD_TABLE)
    .where({ document_id: chain.HEAD_DOCUMENT_ID })
    .first('dev_key');
  if (!head?.dev_key) {
    throw new Error('HISTORY_SIGNING_KEY is not set and the database holds no development key');
  }
  return chain.keyRingOf(head.dev_key);
};

/**
 * The development key the CMS generated and keeps in the database, if any: only
 * ever offered to `history:adopt`, when a real key takes over a development
 * database. Nothing else trusts it.
 */
export const storedDevelopmentKey = async (db) => {
  const head = await db(chain.HEAD_TABLE)
    .where({ document_id: chain.HEAD_DOCUMENT_ID })
    .first('dev_key');
  return head?.dev_key ? { id: chain.keyIdOf(head.dev_key), secret: head.dev_key } : null;
};

/** The live row's editable fields by attribute name (Strapi's columns are their snake_case). */
export const liveSnapshot = (raw, fields) =>
  Object.fromEntries(fields.map((field) => [field, raw[snakeCase(field)] ?? null]));

/**
 * The published row's version and the fields a snapshot holds, or null. For a
 * type other than settings only the fields stored in its own columns: its
 * components, dynamic zones and relations live in other tables that only the
 * server reads (through the Document Service), so the server's verify compares
 * those.
 */
export const readLiveState = async (db, fields, type = chain.SETTINGS_CHAIN_TYPE) => {
  const raw = await db(type.tables.live).whereNotNull('published_at').orderBy('id').first();
  if (!raw) return null;
  const stored = type.isSettings ? fields : fields.filter((field) => snakeCase(field) in raw);
  return { version: Number(raw.version ?? 0), data: liveSnapshot(raw, stored) };
};

/** Verifies a chain in the database as the server does (call it inside one snapshot). */
export const verifyDatabase = async (db, keys, type = chain.SETTINGS_CHAIN_TYPE) => {
  const { tables } = type;
  const verifier = chain.createChainVerifier(keys, await chain.readHead(db, tables));
  let newest = null;
  for await (const item of chain.chainItems(db, 1, tables)) {
    if ('row' in item) newest = item.row;
    if (!('row' in item ? verifier.row(item.row) : verifier.checkpoint(item.checkpoint))) break;
  }
  const subject = type.isSettings
    ? chain.LIVE_SETTINGS
    : { name: `the live ${type.displayName}`, is: 'is' };
  return verifier.finish({
    live: await readLiveState(db, Object.keys(newest?.data ?? {}), type),
    subject,
  });
};

/** One JSON line on standard output: the server's log format, so logs stay a witness. */
export const logWitnessLine = (event, fields) =>
  console.log(JSON.stringify({ timestamp: new Date().toISOString(), event, ...fields }));
