/**
 * Schedule rows written straight into the database, as someone with write access
 * there would, signed with the test key (what the server itself would write) or
 * not; and admins whose role grants chosen permissions, subjects included.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { keyIdOf } from '../../cms/server/src/chain/mac';
import { SCHEDULE_MAC_FORMAT, scheduleMac } from '../../cms/server/src/chain/schedule-mac';
import { signedScheduleOf } from '../../cms/server/src/services/schedules';
import { PASSWORD, type SignedInAdmin } from '../admin/admin-users';
import { SIGNING_KEY, type TestApp } from '../helpers/strapi';

export const SCHEDULES_TABLE = 'platform_settings_schedules';

const knexOf = (strapi: Core.Strapi) => strapi.db.connection as unknown as Knex;

export interface ScheduleRow {
  kind: 'publish' | 'rollback' | 'patch';
  runAt: Date;
  data?: Record<string, unknown> | null;
  targetVersion?: number | null;
  ifVersion?: number | null;
  note?: string | null;
  author: Record<string, unknown>;
}

/** Inserts a pending schedule; `sign`: with a MAC under the test key (or `key`), as the server makes it. */
export const insertSchedule = async (
  strapi: Core.Strapi,
  row: ScheduleRow,
  { sign, key = SIGNING_KEY }: { sign: boolean; key?: string }
): Promise<number> => {
  const db = knexOf(strapi);
  const now = new Date();
  const [inserted] = await db(SCHEDULES_TABLE)
    .insert({
      document_id: `inserted-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
      kind: row.kind,
      run_at: row.runAt,
      data: row.data ? JSON.stringify(row.data) : null,
      target_version: row.targetVersion ?? null,
      if_version: row.ifVersion ?? null,
      note: row.note ?? null,
      author: JSON.stringify(row.author),
      status: 'pending',
      created_at: now,
      updated_at: now,
      published_at: now,
    })
    .returning('id');
  const id = Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
  if (sign) {
    const stored = await db(SCHEDULES_TABLE).where({ id }).first();
    await db(SCHEDULES_TABLE)
      .where({ id })
      .update({
        mac: scheduleMac(key, signedScheduleOf(stored)),
        signed_with: keyIdOf(key),
        mac_format: SCHEDULE_MAC_FORMAT,
      });
  }
  return id;
};

export const editSchedule = (strapi: Core.Strapi, id: number, columns: Record<string, unknown>) =>
  knexOf(strapi)(SCHEDULES_TABLE).where({ id }).update(columns);

export const readSchedule = (strapi: Core.Strapi, id: number) =>
  knexOf(strapi)(SCHEDULES_TABLE).where({ id }).first();

export interface Grant {
  action: string;
  subject?: string;
}

interface AdminServices {
  role: {
    create(input: { name: string; description: string }): Promise<{ id: number }>;
    assignPermissions(roleId: number, permissions: Record<string, unknown>[]): Promise<unknown>;
  };
  user: { create(input: Record<string, unknown>): Promise<{ id: number }> };
}

const grants = (permissions: Grant[]) =>
  permissions.map(({ action, subject }) => ({
    action,
    subject: subject ?? null,
    properties: {},
    conditions: [],
  }));

/** A signed-in admin whose only role grants `permissions`; `setPermissions` replaces them later. */
export const adminWithPermissions = async (
  app: TestApp,
  key: string,
  permissions: Grant[]
): Promise<SignedInAdmin & { setPermissions(next: Grant[]): Promise<unknown> }> => {
  const role = app.strapi.service('admin::role') as unknown as AdminServices['role'];
  const user = app.strapi.service('admin::user') as unknown as AdminServices['user'];
  const created = await role.create({ name: `Role ${key}`, description: `Test role ${key}` });
  await role.assignPermissions(created.id, grants(permissions));
  const email = `${key}@example.com`;
  const firstname = key[0].toUpperCase() + key.slice(1);
  const account = await user.create({
    email,
    firstname,
    lastname: 'Tester',
    password: PASSWORD,
    isActive: true,
    registrationToken: null,
    roles: [created.id],
  });
  const res = await app.request
    .post('/admin/login')
    .send({ email, password: PASSWORD })
    .expect(200);
  return {
    id: account.id,
    token: res.body.data.token,
    name: `${firstname} Tester`,
    setPermissions: (next) => role.assignPermissions(created.id, grants(next)),
  };
};
