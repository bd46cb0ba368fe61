/**
 * "Scheduled changes" on the history page: the pending ones, soonest first,
 * each with its time (the admin's zone, named, and UTC), what it does and
 * what it would change if it ran now, its note, its author and its
 * "only if live is still version N" condition, and a Cancel for roles with
 * the `schedule` permission; then the recently finished ones, so a failure
 * (422), a skip (live moved on) or a late run is seen, not just logged.
 *
 * It polls while a schedule is due soon, and tells the page when one has run
 * so the history shows the version it made.
 */
import * as React from 'react';
import { Badge, Box, Button, Dialog, Flex, Link, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Clock, Plus, Trash, WarningCircle } from '@strapi/icons';
import { useNotification, useRBAC } from '@strapi/strapi/admin';
import { Link as RouterLink } from 'react-router-dom';
import type { FieldDiff, Schedule } from '../../../shared/contracts/settings';
import { useSettingsApi } from '../api';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useRequest } from '../hooks/useRequest';
import { PERMISSIONS } from '../permissions';
import { HISTORY_PATH } from '../pluginId';
import { authorName } from '../utils/format';
import {
  describeKind,
  describeTime,
  formatDuration,
  localTimeZone,
  outcomeOf,
} from '../utils/schedules';
import { DiffTable } from './DiffTable';
import { ScheduleDialog } from './ScheduleDialog';

/** Poll this often while a schedule is due within SOON_MS (or overdue), else every IDLE_POLL_MS. */
const DUE_POLL_MS = 3_000;
const IDLE_POLL_MS = 60_000;
const SOON_MS = 2 * 60_000;
/** Finished schedules shown: the latest few are what someone checks after a launch night. */
const RECENT_SHOWN = 10;

type PendingSchedule = Schedule & { diff: FieldDiff[] };

interface SchedulesPanelProps {
  liveVersion: number;
  /** A schedule ran (or was created or cancelled): the page reloads its history. */
  onChanged: () => void;
}

const When = ({ iso, timeZone }: { iso: string; timeZone: string }) => {
  const { local, utc } = describeTime(iso, timeZone);
  return (
    <Flex direction="column" alignItems="flex-start" gap={0}>
      <Typography fontWeight="semiBold" textColor="neutral800">
        {local}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {utc}
      </Typography>
    </Flex>
  );
};

const Card = ({ children, ...props }: React.ComponentProps<typeof Box>) => (
  <Box
    padding={4}
    hasRadius
    background="neutral0"
    borderColor="neutral200"
    borderStyle="solid"
    borderWidth="1px"
    {...props}
  >
    {children}
  </Box>
);

const emptyDiffText = (schedule: PendingSchedule) => {
  switch (schedule.kind) {
    case 'publish':
      return 'Nothing to publish right now: the draft holds the live settings. Save a draft before it runs.';
    case 'rollback':
      return `Version ${schedule.targetVersion} holds the live settings: it would change nothing now.`;
    default:
      return 'Live already holds these values: it would change nothing now.';
  }
};

const PendingCard = ({
  schedule,
  liveVersion,
  timeZone,
  canCancel,
  onCancel,
}: {
  schedule: PendingSchedule;
  liveVersion: number;
  timeZone: string;
  canCancel: boolean;
  onCancel: () => void;
}) => {
  const conditionBroken = schedule.ifVersion !== null && schedule.ifVersion !== liveVersion;
  // Claimed by the server and being made now: too late to cancel.
  const isRunning = schedule.status === 'running';
  return (
    <Card tag="li" data-schedule={schedule.id} data-status={schedule.status}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
          <Flex gap={4} alignItems="flex-start" wrap="wrap">
            <When iso={schedule.runAt} timeZone={timeZone} />
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography fontWeight="bold" data-testid="schedule-what">
                {describeKind(schedule)}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                by {authorName(schedule.author)}
              </Typography>
            </Flex>
          </Flex>
          <Flex gap={2} alignItems="center">
            {schedule.ifVersion !== null && (
              <Badge
                variant={conditionBroken ? 'warning' : 'neutral'}
                title={
                  conditionBroken
                    ? `Live is version ${liveVersion} now: this will be skipped unless live goes back to version ${schedule.ifVersion}.`
                    : undefined
                }
              >
                Only if live is still version {schedule.ifVersion}
              </Badge>
            )}
            {isRunning && <Badge variant="secondary">Running now</Badge>}
            {canCancel && !isRunning && (
              <Button
                variant="danger-light"
                size="S"
                startIcon={<Trash />}
                onClick={onCancel}
                aria-label={`Cancel the schedule of ${describeTime(schedule.runAt, timeZone).local}`}
              >
                Cancel
              </Button>
            )}
          </Flex>
        </Flex>
        {schedule.note && (
          <Typography textColor="neutral700" data-testid="schedule-note">
            “{schedule.note}”
          </Typography>
        )}
        {schedule.diff.length === 0 ? (
          <Typography variant="pi" textColor="neutral600">
            {emptyDiffText(schedule)}
          </Typography>
        ) : (
          <Box data-testid="schedule-diff">
            <DiffTable
              diff={schedule.diff}
              fromLabel={`Live now (v${liveVersion})`}
              toLabel="When it runs"
            />
          </Box>
        )}
      </Flex>
    </Card>
  );
};

const FinishedRow = ({ schedule, timeZone }: { schedule: Schedule; timeZone: string }) => {
  const outcome = outcomeOf(schedule);
  const attention = schedule.status === 'failed' || schedule.status === 'skipped';
  return (
    <Card
      tag="li"
      padding={3}
      data-schedule={schedule.id}
      data-status={schedule.status}
      borderColor={attention ? 'danger200' : 'neutral200'}
      background={attention ? 'danger100' : 'neutral0'}
    >
      <Flex gap={4} alignItems="flex-start" wrap="wrap">
        <Flex gap={2} alignItems="center" style={{ minWidth: '9rem' }}>
          {attention && <WarningCircle fill="danger600" aria-hidden />}
          <Badge variant={outcome.variant}>{outcome.label}</Badge>
        </Flex>
        <When iso={schedule.runAt} timeZone={timeZone} />
        <Flex
          direction="column"
          alignItems="flex-start"
          gap={1}
          style={{ flex: 1, minWidth: '20rem' }}
        >
          <Typography fontWeight="semiBold">
            {describeKind(schedule)}
            {schedule.note ? ` — “${schedule.note}”` : ''}
          </Typography>
          <Typography
            variant="pi"
            textColor={attention ? 'danger700' : 'neutral600'}
            data-testid="schedule-result"
          >
            {schedule.resultMessage ?? ''}
            {outcome.lateByMs !== null && ` · ran ${formatDuration(outcome.lateByMs)} late`}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            by {authorName(schedule.author)}
            {schedule.ranAt && ` · ran ${describeTime(schedule.ranAt, timeZone).local}`}
          </Typography>
        </Flex>
        {schedule.resultVersion !== null && schedule.status === 'done' && (
          <Link tag={RouterLink} to={`${HISTORY_PATH}/${schedule.resultVersion}`}>
            v{schedule.resultVersion}
          </Link>
        )}
      </Flex>
    </Card>
  );
};

const List = ({ children, label }: { children: React.ReactNode; label: string }) => (
  <Flex
    tag="ul"
    aria-label={label}
    direction="column"
    alignItems="stretch"
    gap={2}
    style={{ listStyle: 'none', margin: 0, padding: 0 }}
  >
    {children}
  </Flex>
);

export const SchedulesPanel = ({ liveVersion, onChanged }: SchedulesPanelProps) => {
  const api = useSettingsApi();
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS.schedule);
  const canSchedule = Boolean(allowedActions.canSchedule);
  const timeZone = React.useMemo(localTimeZone, []);
  // A new live version changes what each pending schedule would do: ask again.
  const schedules = useRequest(() => api.listSchedules(), `schedules-${liveVersion}`);
  const [isCreating, setCreating] = React.useState(false);
  const [cancelling, setCancelling] = React.useState<PendingSchedule | null>(null);

  const pending = schedules.data?.pending ?? [];
  const recent = (schedules.data?.past ?? [])
    .filter((schedule) => schedule.status !== 'cancelled')
    .slice(0, RECENT_SHOWN);

  // Poll while something is due soon; when a pending schedule is gone, it ran: refresh the page.
  const pendingIds = pending.map((schedule) => schedule.id).join(',');
  const previousIds = React.useRef<string | null>(null);
  const onChangedRef = React.useRef(onChanged);
  onChangedRef.current = onChanged;
  React.useEffect(() => {
    if (!schedules.data) return;
    const before = previousIds.current?.split(',').filter(Boolean) ?? [];
    const now = new Set(pendingIds.split(','));
    if (previousIds.current !== null && before.some((id) => !now.has(id))) onChangedRef.current();
    previousIds.current = pendingIds;
  }, [pendingIds, schedules.data]);

  const nextRunAt = pending.length > 0 ? Date.parse(pending[0].runAt) : Infinity;
  const dueSoon = nextRunAt - Date.now() < SOON_MS;
  const { reload } = schedules;
  React.useEffect(() => {
    const timer = setInterval(reload, dueSoon ? DUE_POLL_MS : IDLE_POLL_MS);
    return () => clearInterval(timer);
  }, [dueSoon, reload, pendingIds]);

  const cancel = async (schedule: PendingSchedule) => {
    try {
      await api.cancelSchedule(schedule.id);
      toggleNotification({ type: 'success', message: 'The schedule is cancelled.' });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: 'Could not cancel',
        message: errorMessage(error),
      });
    }
    setCancelling(null);
    reload();
  };

  return (
    <Box
      tag="section"
      aria-labelledby="scheduled-changes-title"
      data-testid="schedules-panel"
      background="neutral0"
      shadow="tableShadow"
      hasRadius
      padding={5}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
          <Flex gap={2} alignItems="center">
            <Clock aria-hidden />
            <Typography variant="delta" tag="h2" id="scheduled-changes-title">
              Scheduled changes
            </Typography>
            <Badge>{pending.length} pending</Badge>
          </Flex>
          <Flex gap={2} alignItems="center">
            {schedules.isLoading && <Loader small>Loading the schedules</Loader>}
            <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={reload}>
              Refresh the schedules
            </Button>
            {canSchedule && (
              <Button size="S" startIcon={<Plus />} onClick={() => setCreating(true)}>
                Schedule a change
              </Button>
            )}
          </Flex>
        </Flex>

        {schedules.error ? (
          <Typography textColor="danger600">
            Could not load the schedules: {errorMessage(schedules.error)}
          </Typography>
        ) : null}

        {pending.length === 0 ? (
          <Typography textColor="neutral600">
            Nothing scheduled.{' '}
            {canSchedule &&
              'Prepare a publish, a rollback or a patch for a date and time, e.g. the launch minute.'}
          </Typography>
        ) : (
          <List label="Pending schedules">
            {pending.map((schedule) => (
              <PendingCard
                key={schedule.id}
                schedule={schedule}
                liveVersion={liveVersion}
                timeZone={timeZone}
                canCancel={canSchedule}
                onCancel={() => setCancelling(schedule)}
              />
            ))}
          </List>
        )}

        {recent.length > 0 && (
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography variant="sigma" tag="h3" textColor="neutral600">
              Recently finished
            </Typography>
            <List label="Recently finished schedules">
              {recent.map((schedule) => (
                <FinishedRow key={schedule.id} schedule={schedule} timeZone={timeZone} />
              ))}
            </List>
          </Flex>
        )}
      </Flex>

      {isCreating && (
        <ScheduleDialog
          liveVersion={liveVersion}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            reload();
          }}
        />
      )}
      <Dialog.Root open={cancelling !== null} onOpenChange={(open) => !open && setCancelling(null)}>
        <Dialog.Content>
          <Dialog.Header>Cancel this schedule?</Dialog.Header>
          <Dialog.Body icon={<WarningCircle fill="danger600" />}>
            <Dialog.Description>
              {cancelling &&
                `${describeKind(cancelling)}, ${describeTime(cancelling.runAt, timeZone).local}, will not run. This cannot be undone; schedule it again if needed.`}
            </Dialog.Description>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                Keep it
              </Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                fullWidth
                variant="danger-light"
                onClick={() => cancelling && cancel(cancelling)}
              >
                Cancel the schedule
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};
