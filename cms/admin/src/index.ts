/**
 * Admin entry of the platform-settings plugin: the history page in the main
 * menu ("Settings history", shown to roles with the settings' `history.read`;
 * it also shows the history of each versioned type the role may read), a
 * live-version panel in the Content Manager edit view of every versioned type,
 * and the admin's side of previews on the site. Its strings come from `translations/<locale>.json`
 * (English is the fallback); the host app chooses which locales it offers.
 */
import { ClockCounterClockwise } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import { LiveVersionPanel } from './components/LiveVersionPanel';
import { PERMISSIONS } from './permissions';
import { installPreviewBridge } from './preview/bridge';
import { PLUGIN_ID } from './pluginId';
import { getTranslation } from './utils/getTranslation';

interface ContentManagerApis {
  addEditViewSidePanel(panels: PanelComponent[]): void;
}

type Messages = Record<string, string>;

/**
 * The files hold unprefixed keys ("history.title"); the admin's catalogue is shared by all
 * plugins, so each gets the prefix `getTranslation` adds.
 */
const prefixKeys = (messages: Messages): Messages =>
  Object.fromEntries(Object.entries(messages).map(([key, text]) => [`${PLUGIN_ID}.${key}`, text]));

export default {
  register(app: StrapiApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ClockCounterClockwise,
      intlLabel: { id: getTranslation('menu.history'), defaultMessage: 'Settings history' },
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

  /** Called by the admin for the locales the host app enables; a locale without a file falls back to English. */
  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: messages } = (await import(`./translations/${locale}.json`)) as {
            default: Messages;
          };
          return { data: prefixKeys(messages), locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
