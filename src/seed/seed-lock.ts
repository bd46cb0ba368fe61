/**
 * One instance at a time through the seeding, when several boot at once on the same database:
 * `SELECT … FOR UPDATE` on the Public role's row, held until the transaction commits, so the next
 * instance's first read comes after the first one's commit and finds what it wrote. That row
 * exists on every start (users-permissions creates it before the app's bootstrap and never
 * deletes it), and the seeding changes that role's permissions anyway. A named lock released
 * inside the transaction (MySQL's GET_LOCK) would let the next instance in before the commit.
 * SQLite has a single writer already: a second instance's conflicting write fails, and the caller
 * checks again.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

const ROLE_UID = 'plugin::users-permissions.role';

export const lockSeeding = async (strapi: Core.Strapi, trx: Knex.Transaction): Promise<void> => {
  if (/sqlite/.test(String(strapi.db.config.connection.client))) return;
  if (!strapi.db.metadata.has(ROLE_UID)) return;
  const { tableName } = strapi.db.metadata.get(ROLE_UID);
  await trx(tableName).select('id').where({ type: 'public' }).forUpdate();
};
