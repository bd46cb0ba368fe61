/**
 * Real admin users and JWTs for the admin-route tests: the first Super Admin
 * through `POST /admin/register-admin`, others with a role of chosen actions
 * through Strapi's own admin services, all signed in through `POST /admin/login`.
 */
import type { TestApp } from '../helpers/strapi';

export const PASSWORD = 'Test-password-1';

export interface SignedInAdmin {
  id: number;
  token: string;
  name: string;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
export { auth };

export const registerSuperAdmin = async (app: TestApp): Promise<SignedInAdmin> => {
  const res = await app.request
    .post('/admin/register-admin')
    .send({
      email: 'founder@example.com',
      firstname: 'Fay',
      lastname: 'Founder',
      password: PASSWORD,
    })
    .expect(200);
  return { id: res.body.data.user.id, token: res.body.data.token, name: 'Fay Founder' };
};

interface AdminServices {
  role: {
    create(input: { name: string; description: string }): Promise<{ id: number }>;
    assignPermissions(roleId: number, permissions: Record<string, unknown>[]): Promise<unknown>;
  };
  user: { create(input: Record<string, unknown>): Promise<{ id: number }> };
}

const services = (app: TestApp): AdminServices => ({
  role: app.strapi.service('admin::role') as unknown as AdminServices['role'],
  user: app.strapi.service('admin::user') as unknown as AdminServices['user'],
});

/** A user whose only role grants exactly `actions` (none: a role without the plugin's actions). */
export const adminWithActions = async (
  app: TestApp,
  key: string,
  actions: string[]
): Promise<SignedInAdmin> => {
  const { role, user } = services(app);
  const created = await role.create({ name: `Role ${key}`, description: `Test role ${key}` });
  if (actions.length > 0) {
    await role.assignPermissions(
      created.id,
      actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }))
    );
  }
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
  return { id: account.id, token: res.body.data.token, name: `${firstname} Tester` };
};

/** The plugin's admin actions: the settings' and the home page's (one set per versioned type). */
export const ACTIONS = {
  settings: {
    read: 'plugin::platform-settings.history.read',
    rollback: 'plugin::platform-settings.history.rollback',
    schedule: 'plugin::platform-settings.schedule',
  },
  homePage: {
    read: 'plugin::platform-settings.home-page.history.read',
    rollback: 'plugin::platform-settings.home-page.history.rollback',
    schedule: 'plugin::platform-settings.home-page.schedule',
  },
} as const;
