/**
 * One version: who changed what and when, its diff against the live version
 * (or any other), its full snapshot, the pin and roll-back actions, and a
 * preview of it on the site.
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
import { BackButton, Layouts, Page, useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import { ChangedFields, ChangeTypeBadge, LiveBadge, PinMarker } from '../components/ChangeSummary';
import {
  CompareControls,
  parseCompareTarget,
  type CompareTarget,
} from '../components/CompareControls';
import { DiffTable } from '../components/DiffTable';
import { PreviewOnSiteButton } from '../components/PreviewOnSiteButton';
import { ScheduleDialog } from '../components/ScheduleDialog';
import { SnapshotTable } from '../components/SnapshotTable';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useVersionActions } from '../hooks/useVersionActions';
import { PERMISSIONS } from '../permissions';
import { HISTORY_PATH } from '../pluginId';
import {
  useCompareVersionsQuery,
  useGetLiveQuery,
  useGetVersionQuery,
  useListHistoryQuery,
} from '../services/api';
import { authorName, formatDate } from '../utils/format';

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

const Details = ({ entry, isLive }: { entry: HistoryEntry; isLive: boolean }) => (
  <Grid.Root gap={6}>
    <Grid.Item col={3} s={6} xs={12}>
      <Detail label="Date">{formatDate(entry.createdAt)}</Detail>
    </Grid.Item>
    <Grid.Item col={3} s={6} xs={12}>
      <Detail label="Author">{authorName(entry.author)}</Detail>
    </Grid.Item>
    <Grid.Item col={3} s={6} xs={12}>
      <Detail label="Change">
        <ChangeTypeBadge entry={entry} />
      </Detail>
    </Grid.Item>
    <Grid.Item col={3} s={6} xs={12}>
      <Detail label="Status">
        <Flex gap={2}>
          {isLive ? <LiveBadge /> : <Typography textColor="neutral600">Not live</Typography>}
          {entry.pinned && <PinMarker label={entry.pinLabel} />}
        </Flex>
      </Detail>
    </Grid.Item>
    <Grid.Item col={6} xs={12}>
      <Detail label="Changed fields">
        <ChangedFields fields={entry.changedFields} max={20} />
      </Detail>
    </Grid.Item>
    <Grid.Item col={6} xs={12}>
      <Detail label="Note">{entry.note ?? '—'}</Detail>
    </Grid.Item>
  </Grid.Root>
);

export const VersionPage = () => {
  const rawVersion = useParams().version ?? '';
  const version = Number(rawVersion);
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const { allowedActions } = useRBAC(PERMISSIONS.rollback);
  const { allowedActions: scheduleActions } = useRBAC(PERMISSIONS.schedule);
  const [isSchedulingRollback, setSchedulingRollback] = React.useState(false);
  const [{ query }, setQuery] = useQueryParams<{ compare?: string }>();

  const isVersion = Number.isSafeInteger(version) && version >= 1;
  const entry = useGetVersionQuery(version, { skip: !isVersion });
  const live = useGetLiveQuery();
  const pinned = useListHistoryQuery({ pinned: true, pageSize: 100 });
  const liveVersion = live.data?.settings.version;
  const isLive = version === liveVersion;

  const target = parseCompareTarget(query.compare, isLive ? 'previous' : 'live');
  const other = liveVersion === undefined ? undefined : resolveTarget(target, version, liveVersion);
  const canCompare = other !== undefined && other >= 1 && other !== version;
  const [from, to] = canCompare ? [Math.min(version, other), Math.max(version, other)] : [0, 0];
  const diff = useCompareVersionsQuery({ from, to }, { skip: !canCompare });

  // After a rollback the new version is at the top of the history.
  const actions = useVersionActions(() => navigate(HISTORY_PATH));

  if (!isVersion || (entry.error && !entry.currentData)) {
    return (
      <Page.Main>
        <Page.Title>{`Version ${rawVersion}`}</Page.Title>
        <Layouts.Header
          title={`Version ${rawVersion}`}
          navigationAction={<BackButton fallback={HISTORY_PATH} />}
        />
        <Layouts.Content>
          <EmptyStateLayout
            content={entry.error ? errorMessage(entry.error) : 'This is not a version number.'}
            action={
              <Button tag={RouterLink} to={HISTORY_PATH} variant="secondary">
                Back to the history
              </Button>
            }
          />
        </Layouts.Content>
      </Page.Main>
    );
  }
  if (!entry.currentData || !live.data) return <Page.Loading />;

  const current = entry.currentData;
  const canRollback = Boolean(allowedActions.canRollback);
  const canSchedule = Boolean(scheduleActions.canSchedule);
  const labelFor = (v: number) => (v === liveVersion ? `v${v} (live)` : `v${v}`);

  return (
    <Page.Main>
      <Page.Title>{`Version ${version} · Settings history`}</Page.Title>
      <Layouts.Header
        title={`Version ${version}`}
        subtitle={`${formatDate(current.createdAt)} · ${authorName(current.author)}`}
        navigationAction={<BackButton fallback={HISTORY_PATH} />}
        primaryAction={
          !isLive && (canRollback || canSchedule) ? (
            <Flex gap={2}>
              {canSchedule && (
                <Button
                  startIcon={<Clock />}
                  variant="secondary"
                  onClick={() => setSchedulingRollback(true)}
                >
                  Schedule rollback
                </Button>
              )}
              {canRollback && (
                <Button
                  startIcon={<ArrowsCounterClockwise />}
                  variant="danger-light"
                  onClick={() => actions.startRollback(version)}
                >
                  Roll back to this version
                </Button>
              )}
            </Flex>
          ) : undefined
        }
        secondaryAction={
          <Flex gap={2}>
            <PreviewOnSiteButton version={version} />
            {canRollback && (
              <Button
                variant="tertiary"
                startIcon={<Pin />}
                onClick={() =>
                  current.pinned ? actions.unpin(version) : actions.startPin(version)
                }
              >
                {current.pinned ? 'Unpin' : 'Pin as known-good'}
              </Button>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title="Details">
            <Details entry={current} isLive={isLive} />
          </Section>
          <Section title="Changes">
            <CompareControls
              key={version}
              version={version}
              liveVersion={live.data.settings.version}
              target={target}
              pinned={pinned.data?.data ?? []}
              onChange={(next) => setQuery({ compare: String(next) })}
            />
            {!canCompare ? (
              <Typography textColor="neutral600">
                {version === 1 && target === 'previous'
                  ? 'This is the first version: there is nothing before it.'
                  : 'Choose another version to compare with.'}
              </Typography>
            ) : diff.error ? (
              <Typography textColor="danger600">{errorMessage(diff.error)}</Typography>
            ) : !diff.currentData ? (
              <Loader small>Loading the differences</Loader>
            ) : (
              <Box data-testid="version-diff">
                <DiffTable
                  diff={diff.currentData.diff}
                  fromLabel={`${labelFor(from)} · before`}
                  toLabel={`${labelFor(to)} · after`}
                />
              </Box>
            )}
          </Section>
          <Section title="Full snapshot">
            <SnapshotTable data={current.data} changedFields={current.changedFields} />
          </Section>
        </Flex>
      </Layouts.Content>
      {actions.dialogs}
      {isSchedulingRollback && (
        <ScheduleDialog
          liveVersion={live.data.settings.version}
          initialRollbackTo={version}
          onClose={() => setSchedulingRollback(false)}
          // The history page lists it with the other pending schedules.
          onCreated={() => navigate(HISTORY_PATH)}
        />
      )}
    </Page.Main>
  );
};
