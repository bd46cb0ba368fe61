/**
 * Side panel in the Content Manager edit view of every versioned type (the settings
 * and the host app's types): which version is live, when and by whom it was last
 * changed, and a way to the type's history.
 */
import * as React from 'react';
import { Badge, Flex, Link, Loader, Typography } from '@strapi/design-system';
import { ClockCounterClockwise } from '@strapi/icons';
import type { PanelComponent, PanelComponentProps } from '@strapi/content-manager/strapi-admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { VersionedTypeSummary } from '../../../shared/contracts/settings';
import { typeName } from '../hooks/useCurrentType';
import { announceSettingsSaved } from '../preview/bridge';
import { SETTINGS_KEY, SETTINGS_UID } from '../pluginId';
import { useListHistoryQuery, useListTypesQuery } from '../services/api';
import { NO_VALUE } from './ChangeSummary';
import { authorName, formatDate } from '../utils/format';
import { getTranslation } from '../utils/getTranslation';
import { historyPath } from '../utils/paths';

/**
 * Changes whenever the form's document does: a save, or a publish (the published
 * entry's date in the metadata; the settings also show their version in the form).
 */
const revisionOf = ({ document, meta }: Pick<PanelComponentProps, 'document' | 'meta'>) =>
  JSON.stringify([
    document?.version,
    document?.updatedAt,
    (meta?.availableStatus ?? []).map((status) => status.publishedAt ?? status.updatedAt),
  ]);

const LastChange = ({ type, revision }: { type: VersionedTypeSummary; revision: string }) => {
  const intl = useIntl();
  const { formatMessage } = intl;
  // The newest version is the live one: every change, a rollback too, is a new version.
  const live = useListHistoryQuery({ type: type.key, page: 1, pageSize: 1 });
  const { refetch } = live;
  const first = React.useRef(revision);
  React.useEffect(() => {
    if (revision !== first.current) void refetch();
  }, [revision, refetch]);
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
  const { liveVersion } = live.data.meta;
  const lastChange = live.data.data.find((entry) => entry.version === liveVersion);
  return (
    <Flex direction="column" alignItems="flex-start" gap={2}>
      <Flex gap={2} alignItems="center">
        <Typography variant="omega" fontWeight="bold">
          {formatMessage(
            { id: getTranslation('panel.version'), defaultMessage: 'Version {version}' },
            { version: liveVersion }
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
      <Link tag={RouterLink} to={historyPath(type.key)} startIcon={<ClockCounterClockwise />}>
        {type.key === SETTINGS_KEY
          ? formatMessage({
              id: getTranslation('history.title'),
              defaultMessage: 'Settings history',
            })
          : formatMessage(
              { id: getTranslation('history.typeTitle'), defaultMessage: '{type} history' },
              { type: typeName(type, intl) }
            )}
      </Link>
    </Flex>
  );
};

/** A save shows as a new `updatedAt`: previews open in other tabs read the draft again. */
const AnnounceSaves = ({ updatedAt }: { updatedAt: unknown }) => {
  const first = React.useRef(updatedAt);
  React.useEffect(() => {
    if (updatedAt !== first.current) announceSettingsSaved();
  }, [updatedAt]);
  return null;
};

const PanelContent = ({
  type,
  isLoading,
  version,
  revision,
}: {
  /** Undefined when this admin may not read the type's history. */
  type: VersionedTypeSummary | undefined;
  isLoading: boolean;
  version: number | undefined;
  revision: string;
}) => {
  const { formatMessage } = useIntl();
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
  if (!type) {
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
  return <LastChange type={type} revision={revision} />;
};

export const LiveVersionPanel: PanelComponent = ({ model, document, meta }) => {
  // The edit view calls panels from a component of its own, so hooks work here.
  const { formatMessage } = useIntl();
  // The versioned types this admin may read (one request, shared by every edit view).
  const types = useListTypesQuery();
  const type = types.data?.find((candidate) => candidate.uid === model);
  const isSettings = model === SETTINGS_UID;
  // Another type is known to be versioned only once the list says so.
  if (!isSettings && !type) return null;
  const version = typeof document?.version === 'number' ? document.version : undefined;
  return {
    title: formatMessage({ id: getTranslation('panel.title'), defaultMessage: 'Live version' }),
    content: (
      <>
        {isSettings && <AnnounceSaves updatedAt={document?.updatedAt} />}
        <PanelContent
          type={type}
          isLoading={types.isLoading}
          version={version}
          revision={revisionOf({ document, meta })}
        />
      </>
    ),
  };
};
LiveVersionPanel.displayName = 'PlatformSettingsLiveVersionPanel';
