/**
 * RBAC actions of the admin history page. Registered at bootstrap, before the
 * admin module's own bootstrap, so the Super Admin role is granted them on
 * every start. Admin routes check them with `admin::hasPermissions`.
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './utils/constants';

export const HISTORY_READ = `plugin::${PLUGIN_ID}.history.read`;
/** Rolling back and pinning: both change what editors treat as the known-good state. */
export const HISTORY_ROLLBACK = `plugin::${PLUGIN_ID}.history.rollback`;
/** Preparing and cancelling scheduled changes. */
export const SCHEDULE = `plugin::${PLUGIN_ID}.schedule`;

interface ActionProvider {
  registerMany(actions: Record<string, unknown>[]): Promise<void>;
}

export const registerPermissions = async (strapi: Core.Strapi) => {
  const { actionProvider } = strapi.service('admin::permission') as unknown as {
    actionProvider: ActionProvider;
  };
  await actionProvider.registerMany([
    {
      section: 'plugins',
      displayName: 'Read the settings history',
      uid: 'history.read',
      pluginName: PLUGIN_ID,
    },
    {
      section: 'plugins',
      displayName: 'Roll back and pin settings versions',
      uid: 'history.rollback',
      pluginName: PLUGIN_ID,
    },
    {
      section: 'plugins',
      displayName: 'Schedule settings changes',
      uid: 'schedule',
      pluginName: PLUGIN_ID,
    },
  ]);
};
