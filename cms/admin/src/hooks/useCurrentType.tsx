/**
 * Which versioned type the plugin page shows: the settings at the plugin's own path,
 * another type under `types/<key>` (utils/paths.ts). Only types the server lists for
 * this admin (`GET /platform-settings/types`, filtered by each type's read permission)
 * can be shown; the page asks for their RBAC actions by the names the server gave.
 */
import * as React from 'react';
import { useRBAC } from '@strapi/strapi/admin';
import type { IntlShape } from 'react-intl';
import type { VersionedTypeSummary } from '../../../shared/contracts/settings';
import { SETTINGS_KEY } from '../pluginId';
import { getTranslation } from '../utils/getTranslation';

export interface CurrentType {
  type: VersionedTypeSummary;
  /** Every type this admin may read, the settings first. */
  types: VersionedTypeSummary[];
  isSettings: boolean;
}

const CurrentTypeContext = React.createContext<CurrentType | null>(null);

export const CurrentTypeProvider = ({
  type,
  types,
  children,
}: {
  type: VersionedTypeSummary;
  types: VersionedTypeSummary[];
  children: React.ReactNode;
}) => {
  const value = React.useMemo(
    () => ({ type, types, isSettings: type.key === SETTINGS_KEY }),
    [type, types]
  );
  return <CurrentTypeContext.Provider value={value}>{children}</CurrentTypeContext.Provider>;
};

export const useCurrentType = (): CurrentType => {
  const current = React.useContext(CurrentTypeContext);
  if (!current) throw new Error('useCurrentType is used outside the plugin page');
  return current;
};

/** Whether this admin may roll back and pin versions of the type (the server checks it too). */
export const useCanRollback = (type: VersionedTypeSummary): boolean => {
  const permissions = React.useMemo(
    () => [{ action: type.actions.rollback, subject: null }],
    [type.actions.rollback]
  );
  return Boolean(useRBAC(permissions).allowedActions.canRollback);
};

/** Whether this admin may schedule and cancel changes of the type (the server checks it too). */
export const useCanSchedule = (type: VersionedTypeSummary): boolean => {
  const permissions = React.useMemo(
    () => [{ action: type.actions.schedule, subject: null }],
    [type.actions.schedule]
  );
  return Boolean(useRBAC(permissions).allowedActions.canSchedule);
};

/** The settings' name in the admin's language; the host app's types keep their own name. */
export const typeName = (
  type: Pick<VersionedTypeSummary, 'key' | 'displayName'>,
  { formatMessage }: Pick<IntlShape, 'formatMessage'>
): string =>
  type.key === SETTINGS_KEY
    ? formatMessage({ id: getTranslation('types.settings'), defaultMessage: 'Platform settings' })
    : type.displayName;
