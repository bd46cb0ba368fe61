/**
 * One version of a type: who changed what and when, its diff against the live
 * version (or any other), its full snapshot, the pin and roll-back actions, and
 * a scheduled rollback to it, and a preview of it on the site.
 */
import * as React from 'react';
import {
  Box,
  Button,
  EmptyStateLayout,
  Flex,
  Grid,
  Loader,
  Typography,
} from '@strapi/design-system';
import { ArrowsCounterClockwise, Clock, Pin } from '@strapi/icons';
import { BackButton, Layouts, Page, useQueryParams } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import {
  ChangedFields,
  ChangeTypeBadge,
  LiveBadge,
  NO_VALUE,
  PinMarker,
} from '../components/ChangeSummary';
import {
  CompareControls,
  parseCompareTarget,
  type CompareTarget,
} from '../components/CompareControls';
import { DiffTable } from '../components/DiffTable';
import { PreviewOnSiteButton } from '../components/PreviewOnSiteButton';
import { ScheduleDialog } from '../components/ScheduleDialog';
import { SnapshotTable } from '../components/SnapshotTable';
import { typeName, useCanRollback, useCanSchedule, useCurrentType } from '../hooks/useCurrentType';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useVersionActions } from '../hooks/useVersionActions';
import { useCompareVersionsQuery, useGetVersionQuery, useListHistoryQuery } from '../services/api';
import { authorName, formatDate } from '../utils/format';
import { getTranslation } from '../utils/getTranslation';
import { historyPath } from '../utils/paths';

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);

const Detail = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    {typeof children === 'string' ? <Typography>{children}</Typography> : children}
  </Flex>
);

const resolveTarget = (target: CompareTarget, version: number, liveVersion: number) => {
  if (target === 'live') return liveVersion;
  if (target === 'previous') return version - 1;
  return target;
};

const Details = ({ entry, isLive }: { entry: HistoryEntry; isLive: boolean }) => {
  const intl = useIntl();
  const { formatMessage } = intl;
  return (
    <Grid.Root gap={6}>
      <Grid.Item col={3} s={6} xs={12}>
        <Detail
          label={formatMessage({
            id: getTranslation('history.column.date'),
            defaultMessage: 'Date',
          })}
        >
          {formatDate(entry.createdAt, intl)}
        </Detail>
      </Grid.Item>
      <Grid.Item col={3} s={6} xs={12}>
        <Detail
          label={formatMessage({
            id: getTranslation('history.column.author'),
            defaultMessage: 'Author',
          })}
        >
          {authorName(entry.author, intl)}
        </Detail>
      </Grid.Item>
      <Grid.Item col={3} s={6} xs={12}>
        <Detail
          label={formatMessage({
            id: getTranslation('history.column.change'),
            defaultMessage: 'Change',
          })}
        >
          <ChangeTypeBadge entry={entry} />
        </Detail>
      </Grid.Item>
      <Grid.Item col={3} s={6} xs={12}>
        <Detail
          label={formatMessage({ id: getTranslation('version.status'), defaultMessage: 'Status' })}
        >
          <Flex gap={2}>
            {isLive ? (
              <LiveBadge />
            ) : (
              <Typography textColor="neutral600">
                {formatMessage({
                  id: getTranslation('version.notLive'),
                  defaultMessage: 'Not live',
                })}
              </Typography>
            )}
            {entry.pinned && <PinMarker label={entry.pinLabel} />}
          </Flex>
        </Detail>
      </Grid.Item>
      <Grid.Item col={6} xs={12}>
        <Detail
          label={formatMessage({
            id: getTranslation('history.column.changedFields'),
            defaultMessage: 'Changed fields',
          })}
        >
          <ChangedFields fields={entry.changedFields} max={20} />
        </Detail>
      </Grid.Item>
      <Grid.Item col={6} xs={12}>
        <Detail
          label={formatMessage({
            id: getTranslation('history.column.note'),
            defaultMessage: 'Note',
          })}
        >
          {entry.note ?? NO_VALUE}
        </Detail>
      </Grid.Item>
    </Grid.Root>
  );
};

export const VersionPage = () => {
  const rawVersion = useParams().version ?? '';
  const version = Number(rawVersion);
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const intl = useIntl();
  const { formatMessage } = intl;
  const { type, isSettings } = useCurrentType();
  const listPath = historyPath(type.key);
  const canRollback = useCanRollback(type);
  const canScheduleType = useCanSchedule(type);
  const [isSchedulingRollback, setSchedulingRollback] = React.useState(false);
  const [{ query }, setQuery] = useQueryParams<{ compare?: string }>();

  const isVersion = Number.isSafeInteger(version) && version >= 1;
  const entry = useGetVersionQuery({ type: type.key, version }, { skip: !isVersion });
  // The pinned versions (to compare with), and which version is live.
  const pinned = useListHistoryQuery({ type: type.key, pinned: true, pageSize: 100 });
  const liveVersion = pinned.data?.meta.liveVersion;
  const isLive = version === liveVersion;

  const target = parseCompareTarget(query.compare, isLive ? 'previous' : 'live');
  const other = liveVersion === undefined ? undefined : resolveTarget(target, version, liveVersion);
  const canCompare = other !== undefined && other >= 1 && other !== version;
  const [from, to] = canCompare ? [Math.min(version, other), Math.max(version, other)] : [0, 0];
  const diff = useCompareVersionsQuery({ type: type.key, from, to }, { skip: !canCompare });

  // After a rollback the new version is at the top of the history.
  const actions = useVersionActions(type.key, () => navigate(listPath));

  if (!isVersion || (entry.error && !entry.currentData)) {
    return (
      <Page.Main>
        <Page.Title>
          {formatMessage(
            { id: getTranslation('version.title'), defaultMessage: 'Version {version}' },
            { version: rawVersion }
          )}
        </Page.Title>
        <Layouts.Header
          title={formatMessage(
            { id: getTranslation('version.title'), defaultMessage: 'Version {version}' },
            { version: rawVersion }
          )}
          navigationAction={<BackButton fallback={listPath} />}
        />
        <Layouts.Content>
          <EmptyStateLayout
            content={
              entry.error
                ? errorMessage(entry.error)
                : formatMessage({
                    id: getTranslation('version.invalid'),
                    defaultMessage: 'This is not a version number.',
                  })
            }
            action={
              <Button tag={RouterLink} to={listPath} variant="secondary">
                {formatMessage({
                  id: getTranslation('version.back'),
                  defaultMessage: 'Back to the history',
                })}
              </Button>
            }
          />
        </Layouts.Content>
      </Page.Main>
    );
  }
  if (!entry.currentData || liveVersion === undefined) return <Page.Loading />;

  const current = entry.currentData;
  const labelFor = (v: number) =>
    v === liveVersion
      ? formatMessage(
          { id: getTranslation('version.short.live'), defaultMessage: 'v{version} (live)' },
          { version: v }
        )
      : formatMessage(
          { id: getTranslation('version.short'), defaultMessage: 'v{version}' },
          { version: v }
        );

  return (
    <Page.Main>
      <Page.Title>
        {isSettings
          ? formatMessage(
              {
                id: getTranslation('version.pageTitle'),
                defaultMessage: 'Version {version} · Settings history',
              },
              { version }
            )
          : formatMessage(
              {
                id: getTranslation('version.pageTitle.type'),
                defaultMessage: 'Version {version} · {type} history',
              },
              { version, type: typeName(type, intl) }
            )}
      </Page.Title>
      <Layouts.Header
        title={formatMessage(
          { id: getTranslation('version.title'), defaultMessage: 'Version {version}' },
          { version }
        )}
        subtitle={formatMessage(
          { id: getTranslation('version.subtitle'), defaultMessage: '{date} · {author}' },
          { date: formatDate(current.createdAt, intl), author: authorName(current.author, intl) }
        )}
        navigationAction={<BackButton fallback={listPath} />}
        primaryAction={
          !isLive && (canRollback || canScheduleType) ? (
            <Flex gap={2}>
              {canScheduleType && (
                <Button
                  startIcon={<Clock />}
                  variant="secondary"
                  onClick={() => setSchedulingRollback(true)}
                >
                  {formatMessage({
                    id: getTranslation('version.scheduleRollback'),
                    defaultMessage: 'Schedule rollback',
                  })}
                </Button>
              )}
              {canRollback && (
                <Button
                  startIcon={<ArrowsCounterClockwise />}
                  variant="danger-light"
                  onClick={() => actions.startRollback(version)}
                >
                  {formatMessage({
                    id: getTranslation('version.rollback'),
                    defaultMessage: 'Roll back to this version',
                  })}
                </Button>
              )}
            </Flex>
          ) : undefined
        }
        secondaryAction={
          <Flex gap={2}>
            <PreviewOnSiteButton typeKey={type.key} version={version} />
            {canRollback && (
              <Button
                variant="tertiary"
                startIcon={<Pin />}
                onClick={() =>
                  current.pinned ? actions.unpin(version) : actions.startPin(version)
                }
              >
                {current.pinned
                  ? formatMessage({ id: getTranslation('version.unpin'), defaultMessage: 'Unpin' })
                  : formatMessage({
                      id: getTranslation('version.pin'),
                      defaultMessage: 'Pin as known-good',
                    })}
              </Button>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section
            title={formatMessage({
              id: getTranslation('version.section.details'),
              defaultMessage: 'Details',
            })}
          >
            <Details entry={current} isLive={isLive} />
          </Section>
          <Section
            title={formatMessage({
              id: getTranslation('version.section.changes'),
              defaultMessage: 'Changes',
            })}
          >
            <CompareControls
              key={version}
              version={version}
              liveVersion={liveVersion}
              target={target}
              pinned={pinned.data?.data ?? []}
              onChange={(next) => setQuery({ compare: String(next) })}
            />
            {!canCompare ? (
              <Typography textColor="neutral600">
                {version === 1 && target === 'previous'
                  ? formatMessage({
                      id: getTranslation('version.compare.first'),
                      defaultMessage: 'This is the first version: there is nothing before it.',
                    })
                  : formatMessage({
                      id: getTranslation('version.compare.choose'),
                      defaultMessage: 'Choose another version to compare with.',
                    })}
              </Typography>
            ) : diff.error ? (
              <Typography textColor="danger600">{errorMessage(diff.error)}</Typography>
            ) : !diff.currentData ? (
              <Loader small>
                {formatMessage({
                  id: getTranslation('version.compare.loading'),
                  defaultMessage: 'Loading the differences',
                })}
              </Loader>
            ) : (
              <Box data-testid="version-diff">
                <DiffTable
                  diff={diff.currentData.diff}
                  emptyMessage={
                    isSettings
                      ? undefined
                      : formatMessage({
                          id: getTranslation('diff.empty.content'),
                          defaultMessage: 'No differences: both versions hold the same content.',
                        })
                  }
                  fromLabel={formatMessage(
                    {
                      id: getTranslation('version.compare.before'),
                      defaultMessage: '{version} · before',
                    },
                    { version: labelFor(from) }
                  )}
                  toLabel={formatMessage(
                    {
                      id: getTranslation('version.compare.after'),
                      defaultMessage: '{version} · after',
                    },
                    { version: labelFor(to) }
                  )}
                />
              </Box>
            )}
          </Section>
          <Section
            title={formatMessage({
              id: getTranslation('version.section.snapshot'),
              defaultMessage: 'Full snapshot',
            })}
          >
            <SnapshotTable data={current.data} changedFields={current.changedFields} />
          </Section>
        </Flex>
      </Layouts.Content>
      {actions.dialogs}
      {isSchedulingRollback && (
        <ScheduleDialog
          liveVersion={liveVersion}
          initialRollbackTo={version}
          onClose={() => setSchedulingRollback(false)}
          // The history page lists it with the other pending schedules.
          onCreated={() => navigate(listPath)}
        />
      )}
    </Page.Main>
  );
};
