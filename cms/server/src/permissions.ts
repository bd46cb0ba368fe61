/**
 * RBAC actions of the admin history page. Registered at bootstrap, before the
 * admin module's own bootstrap, so the Super Admin role is granted them on
 * every start. Admin routes check them with `admin::hasPermissions`.
 *
 * Each versioned type has its own pair (`<key>.history.read`, `<key>.history.rollback`),
 * so a role can be given the home page's history without the settings', and the
 * other way round; the settings keep their historic names.
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID, SETTINGS_UID } from './utils/constants';
import type { VersionedType } from './versioned/types';

export const HISTORY_READ = `plugin::${PLUGIN_ID}.history.read`;
/** Rolling back and pinning: both change what editors treat as the known-good state. */
export const HISTORY_ROLLBACK = `plugin::${PLUGIN_ID}.history.rollback`;
/** The actions guarding one type's history: reading it, rolling back or pinning, scheduling. */
export interface HistoryActions {
  read: string;
  rollback: string;
  schedule: string;
}

/** The uid part of a type's actions (`home-page.history.read`); the settings' have no prefix. */
const actionUids = (type: VersionedType) =>
  type.isSettings
    ? { read: 'history.read', rollback: 'history.rollback', schedule: 'schedule' }
    : {
        read: `${type.key}.history.read`,
        rollback: `${type.key}.history.rollback`,
        schedule: `${type.key}.schedule`,
      };

export const historyActionsOf = (type: VersionedType): HistoryActions => {
  const uids = actionUids(type);
  return {
    read: `plugin::${PLUGIN_ID}.${uids.read}`,
    rollback: `plugin::${PLUGIN_ID}.${uids.rollback}`,
    schedule: `plugin::${PLUGIN_ID}.${uids.schedule}`,
  };
};

/** Preparing and cancelling scheduled changes of the settings. */
export const SCHEDULE = `plugin::${PLUGIN_ID}.schedule`;

/** The Content Manager's actions on the settings type: what a scheduled publish or patch does. */
export const CM_PUBLISH = 'plugin::content-manager.explorer.publish';
export const CM_UPDATE = 'plugin::content-manager.explorer.update';

export interface Permission {
  action: string;
  subject?: string;
}

/**
 * What scheduling a change needs: the type's `schedule` permission and the permission of
 * the change itself (the settings' when no type is given).
 */
export const permissionsToSchedule = (
  kind: 'publish' | 'rollback' | 'patch',
  type?: VersionedType
): Permission[] => {
  if (type && !type.isSettings) {
    const actions = historyActionsOf(type);
    // Patches are the settings' only (the schedules service refuses them for other types).
    return kind === 'rollback'
      ? [{ action: actions.schedule }, { action: actions.rollback }]
      : [{ action: actions.schedule }, { action: CM_PUBLISH, subject: type.uid }];
  }
  switch (kind) {
    case 'rollback':
      return [{ action: SCHEDULE }, { action: HISTORY_ROLLBACK }];
    case 'publish':
      return [{ action: SCHEDULE }, { action: CM_PUBLISH, subject: SETTINGS_UID }];
    case 'patch':
      return [
        { action: SCHEDULE },
        { action: CM_UPDATE, subject: SETTINGS_UID },
        { action: CM_PUBLISH, subject: SETTINGS_UID },
      ];
  }
};

export const describePermission = ({ action, subject }: Permission) =>
  subject ? `${action} on ${subject}` : action;

interface Ability {
  can(action: string, subject?: string): boolean;
}

/**
 * The permissions of `needed` that the admin user lacks, through Strapi's admin
 * permission engine (the user's current roles, read from the database now).
 */
export const missingPermissions = async (
  strapi: Core.Strapi,
  user: { id: number | string },
  needed: Permission[]
): Promise<Permission[]> => {
  const { engine } = strapi.service('admin::permission') as unknown as {
    engine: { generateUserAbility(user: unknown): Promise<Ability> };
  };
  const ability = await engine.generateUserAbility(user);
  return needed.filter(({ action, subject }) => !ability.can(action, subject));
};

interface ActionProvider {
  registerMany(actions: Record<string, unknown>[]): Promise<void>;
}

/** Grouped under the type's name in the role editor, next to the settings' own actions. */
const typeActions = (type: VersionedType) => {
  const uids = actionUids(type);
  return [
    {
      section: 'plugins',
      displayName: `Read the ${type.displayName} history`,
      uid: uids.read,
      subCategory: type.displayName,
      pluginName: PLUGIN_ID,
    },
    {
      section: 'plugins',
      displayName: `Roll back and pin ${type.displayName} versions`,
      uid: uids.rollback,
      subCategory: type.displayName,
      pluginName: PLUGIN_ID,
    },
    {
      section: 'plugins',
      displayName: `Schedule ${type.displayName} changes`,
      uid: uids.schedule,
      subCategory: type.displayName,
      pluginName: PLUGIN_ID,
    },
  ];
};

/** `types`: the versioned types other than settings (see services/versioned-types.ts). */
export const registerPermissions = async (strapi: Core.Strapi, types: VersionedType[]) => {
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
    ...types.flatMap(typeActions),
  ]);
};
