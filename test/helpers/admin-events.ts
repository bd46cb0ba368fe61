/**
 * The app the admin event stream's tests share: listening on a port (streams need a real
 * socket), a fast periodic check (200 ms: another instance's change, or a revocation, shows
 * within the test), and three admins: a super admin, a history reader, one with no rights.
 */
import type { AddressInfo } from 'node:net';
import { adminWithActions, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';
import { bootApp, type TestApp } from './strapi';

export const READ = 'plugin::platform-settings.history.read';
export const ADMIN_EVENTS = '/platform-settings/events';

export interface AdminEventsApp {
  app: TestApp;
  url: string;
  superAdmin: SignedInAdmin;
  reader: SignedInAdmin;
  nobody: SignedInAdmin;
}

export const bootAdminEventsApp = async (): Promise<AdminEventsApp> => {
  const app = await bootApp({ env: { SETTINGS_VERSION_CHECK_MS: '200' } });
  await new Promise<void>((resolve) =>
    app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
  );
  const { port } = app.strapi.server.httpServer.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    superAdmin: await registerSuperAdmin(app),
    reader: await adminWithActions(app, 'reader', [READ]),
    nobody: await adminWithActions(app, 'nobody', []),
  };
};
