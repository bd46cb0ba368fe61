/**
 * The history chain for the operations scripts: the plugin's own build of it
 * (`cms/dist/server/src/chain`, made by `npm run build -w cms`, which every npm
 * entry point runs first), so the scripts sign and check exactly as the server
 * does. And the signing key, from the same places the server takes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = path.join(root, 'cms', 'dist', 'server', 'src', 'chain', 'index.js');
if (!fs.existsSync(built)) {
  throw new Error('The plugin is not built: run `npm run build -w cms` first');
}

export const chain = createRequire(import.meta.url)(built);

/**
 * HISTORY_SIGNING_KEY (and HISTORY_SIGNING_KEY_PREVIOUS while rotating); outside
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
