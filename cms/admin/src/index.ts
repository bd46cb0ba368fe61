/**
 * Admin entry of the platform-settings plugin: the "Settings history" page in
 * the main menu (shown to roles with `history.read`), a live-version panel
 * in the Content Manager edit view of the settings, and the admin's side of
 * previews on the site.
 */
import { ClockCounterClockwise } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import { LiveVersionPanel } from './components/LiveVersionPanel';
import { PERMISSIONS } from './permissions';
import { installPreviewBridge } from './preview/bridge';
import { PLUGIN_ID } from './pluginId';

interface ContentManagerApis {
  addEditViewSidePanel(panels: PanelComponent[]): void;
}

export default {
  register(app: StrapiApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ClockCounterClockwise,
      intlLabel: { id: `${PLUGIN_ID}.menu.history`, defaultMessage: 'Settings history' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/App'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Platform settings' });
  },

  bootstrap(app: Pick<StrapiApp, 'getPlugin'>) {
    const contentManager = app.getPlugin('content-manager');
    (contentManager?.apis as unknown as ContentManagerApis | undefined)?.addEditViewSidePanel([
      LiveVersionPanel,
    ]);
    // Renews the site's preview tokens while a preview is open (see preview/bridge.ts).
    installPreviewBridge();
  },
};
