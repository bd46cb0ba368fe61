/**
 * Many history versions fast: rows computed here, signed under the app's key
 * into a valid chain, and inserted in bulk, then the live row and the chain head
 * moved to the newest one — what years of edits would leave, without making
 * each edit through the API.
 */
import type { Core } from '@strapi/strapi';
import { DEFAULT_SETTINGS } from '../../../cms/shared/defaults';
import {
  readHead,
  rowMac,
  signHead,
  writeHead,
  type ChainRow,
} from '../../../cms/server/src/chain';

export const HISTORY_TABLE = 'platform_settings_history';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SeedOptions {
  /** The newest version to have afterwards (the app's own version 1 is kept). */
  upTo: number;
  /** Versions to pin. */
  pinned?: number[];
  /** When the oldest seeded version was made; the rest follow evenly up to an hour ago. */
  firstCreatedAt?: Date;
}

const dataOf = (version: number) => ({
  ...DEFAULT_SETTINGS,
  tagline: `Tagline ${version}`,
  hero3dDensity: version % 5000,
});

export const seedHistory = async (strapi: Core.Strapi, options: SeedOptions) => {
  const knex = strapi.db.connection;
  const { current } = strapi.plugin('platform-settings').service('chain').keys();
  const pinned = new Set(options.pinned ?? []);
  const previous = await knex(HISTORY_TABLE).orderBy('version', 'desc').first('version', 'hash');
  let hash = previous.hash as string;
  const from = Number(previous.version) + 1;
  const first = (options.firstCreatedAt ?? new Date(Date.now() - 400 * DAY_MS)).getTime();
  const step = (Date.now() - 60 * 60 * 1000 - first) / Math.max(1, options.upTo - from);

  const rows = [];
  for (let version = from; version <= options.upTo; version += 1) {
    const createdAt = new Date(Math.round(first + (version - from) * step));
    const row: ChainRow = {
      version,
      changeType: 'update',
      data: dataOf(version),
      changedFields: ['tagline', 'hero3dDensity'],
      restoredFrom: null,
      author: { kind: 'founder-key' },
      note: version % 10 === 0 ? `Note ${version}` : null,
      schemaVersion: 1,
      createdAt: createdAt.toISOString(),
      idempotencyKey: null,
      requestHash: null,
      hash: '',
      signedWith: current.id,
    };
    hash = rowMac(current.secret, hash, row);
    rows.push({
      document_id: `v${version}`,
      version,
      change_type: row.changeType,
      data: JSON.stringify(row.data),
      changed_fields: JSON.stringify(['tagline', 'hero3dDensity']),
      restored_from: null,
      author: JSON.stringify(row.author),
      note: row.note,
      schema_version: 1,
      hash,
      signed_with: current.id,
      pinned: pinned.has(version),
      pin_label: pinned.has(version) ? `Pinned ${version}` : null,
      created_at: createdAt,
      updated_at: createdAt,
      published_at: createdAt,
    });
  }
  await knex.batchInsert(HISTORY_TABLE, rows, 500);

  // The live row is the newest version, as the versioning service would have left it.
  const newest = dataOf(options.upTo);
  await knex('platform_settings').update({
    version: options.upTo,
    tagline: newest.tagline,
    hero_3_d_density: newest.hero3dDensity,
  });
  // The head as the key holder signs it (rows here use MAC format 1, as older releases wrote them).
  const { events } = (await readHead(knex))!;
  await writeHead(knex, signHead(current, { version: options.upTo, mac: hash, events }));
  await strapi.plugin('platform-settings').service('cache').refresh();
};
