/**
 * Side panel in the Content Manager edit view of the settings: which version
 * is live, when and by whom it was last changed, and a way to the history.
 */
import * as React from 'react';
import { Badge, Flex, Link, Loader, Typography } from '@strapi/design-system';
import { ClockCounterClockwise } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { announceSettingsSaved } from '../preview/bridge';
import { HISTORY_PATH, SETTINGS_UID } from '../pluginId';
import { useGetLiveQuery } from '../services/api';
import { NO_VALUE } from './ChangeSummary';
import { authorName, formatDate } from '../utils/format';
import { getTranslation } from '../utils/getTranslation';

const LastChange = ({ version }: { version: number | undefined }) => {
  const intl = useIntl();
  const { formatMessage } = intl;
  const live = useGetLiveQuery();
  // Fetched again whenever a save bumps the version shown in the form.
  const shownVersion = live.data?.settings.version;
  const { refetch } = live;
  React.useEffect(() => {
    if (version !== undefined && shownVersion !== undefined && version !== shownVersion) {
      void refetch();
    }
  }, [version, shownVersion, refetch]);
  if (!live.data) {
    return live.error ? (
      <Typography variant="pi" textColor="neutral600">
        {formatMessage({
          id: getTranslation('panel.loadFailed'),
          defaultMessage: 'The last change could not be loaded.',
        })}
      </Typography>
    ) : (
      <Loader small>
        {formatMessage({
          id: getTranslation('panel.loading'),
          defaultMessage: 'Loading the live version',
        })}
      </Loader>
    );
  }
  const { settings, lastChange } = live.data;
  return (
    <Flex direction="column" alignItems="flex-start" gap={2}>
      <Flex gap={2} alignItems="center">
        <Typography variant="omega" fontWeight="bold">
          {formatMessage(
            { id: getTranslation('panel.version'), defaultMessage: 'Version {version}' },
            { version: settings.version }
          )}
        </Typography>
        <Badge variant="success">
          {formatMessage({ id: getTranslation('version.live'), defaultMessage: 'Live' })}
        </Badge>
      </Flex>
      {lastChange && (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(
            {
              id: getTranslation('panel.lastChange'),
              defaultMessage: 'Changed {date} by {author}',
            },
            {
              date: formatDate(lastChange.createdAt, intl),
              author: authorName(lastChange.author, intl),
            }
          )}
        </Typography>
      )}
      <Link tag={RouterLink} to={HISTORY_PATH} startIcon={<ClockCounterClockwise />}>
        {formatMessage({ id: getTranslation('history.title'), defaultMessage: 'Settings history' })}
      </Link>
    </Flex>
  );
};

/** A save shows as a new `updatedAt`: previews open in other tabs read the draft again. */
const useAnnounceSaves = (updatedAt: unknown) => {
  const first = React.useRef(updatedAt);
  React.useEffect(() => {
    if (updatedAt !== first.current) announceSettingsSaved();
  }, [updatedAt]);
};

const PanelContent = ({
  version,
  updatedAt,
}: {
  version: number | undefined;
  updatedAt: unknown;
}) => {
  useAnnounceSaves(updatedAt);
  const { formatMessage } = useIntl();
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS.read);
  if (isLoading)
    return (
      <Loader small>
        {formatMessage({
          id: getTranslation('panel.checkingPermissions'),
          defaultMessage: 'Checking permissions',
        })}
      </Loader>
    );
  // Without history access, the form's own version number is all there is to show.
  if (!allowedActions.canRead) {
    return (
      <Typography variant="omega">
        {formatMessage(
          {
            id: getTranslation('panel.liveVersion'),
            defaultMessage: 'Live version: <b>{version}</b>',
          },
          {
            version: version ?? NO_VALUE,
            b: (chunks: React.ReactNode[]) => <strong>{chunks}</strong>,
          }
        )}
      </Typography>
    );
  }
  return <LastChange version={version} />;
};

export const LiveVersionPanel: PanelComponent = ({ model, document }) => {
  // The edit view calls panels from a component of its own, so hooks work here.
  const { formatMessage } = useIntl();
  if (model !== SETTINGS_UID) return null;
  const version = typeof document?.version === 'number' ? document.version : undefined;
  return {
    title: formatMessage({ id: getTranslation('panel.title'), defaultMessage: 'Live version' }),
    content: <PanelContent version={version} updatedAt={document?.updatedAt} />,
  };
};
LiveVersionPanel.displayName = 'PlatformSettingsLiveVersionPanel';
