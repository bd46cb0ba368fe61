/**
 * "Scheduled changes" on the history page: the pending ones, soonest first,
 * each with its time (the admin's zone, named, and UTC), what it does and
 * what it would change if it ran now, its note, its author and its
 * "only if live is still version N" condition, and a Cancel for roles with
 * the `schedule` permission; then the recently finished ones, so a failure
 * (422), a skip (live moved on) or a late run is seen, not just logged.
 *
 * It never polls: creating or cancelling one refreshes the list through its cache tag, and
 * changes made elsewhere (another tab, another instance, a schedule that ran) arrive on the
 * admin event stream (hooks/useLiveUpdates.ts). Words are translated (`schedules.*` keys),
 * times read in the admin's locale.
 */
import * as React from 'react';
import { Badge, Box, Button, Dialog, Flex, Link, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Clock, Plus, Trash, WarningCircle } from '@strapi/icons';
import { useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { FieldDiff, Schedule } from '../../../shared/contracts/settings';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { PERMISSIONS } from '../permissions';
import { HISTORY_PATH } from '../pluginId';
import { useCancelScheduleMutation, useListSchedulesQuery } from '../services/api';
import { authorName } from '../utils/format';
import { getTranslation } from '../utils/getTranslation';
import {
  describeKind,
  describeTime,
  formatDuration,
  localTimeZone,
  outcomeOf,
} from '../utils/schedules';
import { DiffTable } from './DiffTable';
import { ScheduleDialog } from './ScheduleDialog';

/** Finished schedules shown: the latest few are what someone checks after a launch night. */
const RECENT_SHOWN = 10;

type PendingSchedule = Schedule & { diff: FieldDiff[] };

interface SchedulesPanelProps {
  liveVersion: number;
}

const When = ({ iso, timeZone }: { iso: string; timeZone: string }) => {
  const { locale } = useIntl();
  const { local, utc } = describeTime(iso, timeZone, locale);
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

const useEmptyDiffText = () => {
  const { formatMessage } = useIntl();
  return (schedule: PendingSchedule) => {
    switch (schedule.kind) {
      case 'publish':
        return formatMessage({
          id: getTranslation('schedules.panel.emptyDiff.publish'),
          defaultMessage:
            'Nothing to publish right now: the draft holds the live settings. Save a draft before it runs.',
        });
      case 'rollback':
        return formatMessage(
          {
            id: getTranslation('schedules.panel.emptyDiff.rollback'),
            defaultMessage:
              'Version {version} holds the live settings: it would change nothing now.',
          },
          { version: schedule.targetVersion }
        );
      default:
        return formatMessage({
          id: getTranslation('schedules.panel.emptyDiff.patch'),
          defaultMessage: 'Live already holds these values: it would change nothing now.',
        });
    }
  };
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
  const intl = useIntl();
  const { formatMessage, locale } = intl;
  const emptyDiffText = useEmptyDiffText();
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
                {describeKind(schedule, formatMessage)}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(
                  { id: getTranslation('schedules.panel.by'), defaultMessage: 'by {author}' },
                  { author: authorName(schedule.author, intl) }
                )}
              </Typography>
            </Flex>
          </Flex>
          <Flex gap={2} alignItems="center">
            {schedule.ifVersion !== null && (
              <Badge
                variant={conditionBroken ? 'warning' : 'neutral'}
                title={
                  conditionBroken
                    ? formatMessage(
                        {
                          id: getTranslation('schedules.panel.condition.broken'),
                          defaultMessage:
                            'Live is version {live} now: this will be skipped unless live goes back to version {version}.',
                        },
                        { live: liveVersion, version: schedule.ifVersion }
                      )
                    : undefined
                }
              >
                {formatMessage(
                  {
                    id: getTranslation('schedules.panel.condition'),
                    defaultMessage: 'Only if live is still version {version}',
                  },
                  { version: schedule.ifVersion }
                )}
              </Badge>
            )}
            {isRunning && (
              <Badge variant="secondary">
                {formatMessage({
                  id: getTranslation('schedules.panel.runningNow'),
                  defaultMessage: 'Running now',
                })}
              </Badge>
            )}
            {canCancel && !isRunning && (
              <Button
                variant="danger-light"
                size="S"
                startIcon={<Trash />}
                onClick={onCancel}
                aria-label={formatMessage(
                  {
                    id: getTranslation('schedules.panel.cancel.label'),
                    defaultMessage: 'Cancel the schedule of {when}',
                  },
                  { when: describeTime(schedule.runAt, timeZone, locale).local }
                )}
              >
                {formatMessage({
                  id: getTranslation('schedules.panel.cancel'),
                  defaultMessage: 'Cancel',
                })}
              </Button>
            )}
          </Flex>
        </Flex>
        {schedule.note && (
          <Typography textColor="neutral700" data-testid="schedule-note">
            {formatMessage(
              { id: getTranslation('schedules.panel.note'), defaultMessage: '“{note}”' },
              { note: schedule.note }
            )}
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
              fromLabel={formatMessage(
                {
                  id: getTranslation('schedules.diff.liveNow'),
                  defaultMessage: 'Live now (v{version})',
                },
                { version: liveVersion }
              )}
              toLabel={formatMessage({
                id: getTranslation('schedules.diff.whenItRuns'),
                defaultMessage: 'When it runs',
              })}
            />
          </Box>
        )}
      </Flex>
    </Card>
  );
};

const FinishedRow = ({ schedule, timeZone }: { schedule: Schedule; timeZone: string }) => {
  const intl = useIntl();
  const { formatMessage, locale } = intl;
  const outcome = outcomeOf(schedule, formatMessage);
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
            {schedule.note
              ? formatMessage(
                  {
                    id: getTranslation('schedules.panel.finished.withNote'),
                    defaultMessage: '{what} — “{note}”',
                  },
                  { what: describeKind(schedule, formatMessage), note: schedule.note }
                )
              : describeKind(schedule, formatMessage)}
          </Typography>
          <Typography
            variant="pi"
            textColor={attention ? 'danger700' : 'neutral600'}
            data-testid="schedule-result"
          >
            {schedule.resultMessage ?? ''}
            {outcome.lateByMs !== null &&
              formatMessage(
                {
                  id: getTranslation('schedules.panel.finished.late'),
                  defaultMessage: ' · ran {duration} late',
                },
                { duration: formatDuration(outcome.lateByMs, locale) }
              )}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(
              { id: getTranslation('schedules.panel.by'), defaultMessage: 'by {author}' },
              { author: authorName(schedule.author, intl) }
            )}
            {schedule.ranAt &&
              formatMessage(
                {
                  id: getTranslation('schedules.panel.finished.ranAt'),
                  defaultMessage: ' · ran {when}',
                },
                { when: describeTime(schedule.ranAt, timeZone, locale).local }
              )}
          </Typography>
        </Flex>
        {schedule.resultVersion !== null && schedule.status === 'done' && (
          <Link tag={RouterLink} to={`${HISTORY_PATH}/${schedule.resultVersion}`}>
            {formatMessage(
              { id: getTranslation('version.short'), defaultMessage: 'v{version}' },
              { version: schedule.resultVersion }
            )}
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

export const SchedulesPanel = ({ liveVersion }: SchedulesPanelProps) => {
  const { formatMessage, locale } = useIntl();
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS.schedule);
  const canSchedule = Boolean(allowedActions.canSchedule);
  const timeZone = React.useMemo(localTimeZone, []);
  const schedules = useListSchedulesQuery();
  const [cancelSchedule] = useCancelScheduleMutation();
  const [isCreating, setCreating] = React.useState(false);
  const [cancelling, setCancelling] = React.useState<PendingSchedule | null>(null);

  const pending = schedules.data?.pending ?? [];
  const recent = (schedules.data?.past ?? [])
    .filter((schedule) => schedule.status !== 'cancelled')
    .slice(0, RECENT_SHOWN);

  const cancel = async (schedule: PendingSchedule) => {
    try {
      await cancelSchedule(schedule.id).unwrap();
      toggleNotification({
        type: 'success',
        message: formatMessage({
          id: getTranslation('schedules.notification.cancelled'),
          defaultMessage: 'The schedule is cancelled.',
        }),
      });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: formatMessage({
          id: getTranslation('schedules.notification.cancelFailed'),
          defaultMessage: 'Could not cancel',
        }),
        message: errorMessage(error),
      });
    }
    setCancelling(null);
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
              {formatMessage({
                id: getTranslation('schedules.panel.title'),
                defaultMessage: 'Scheduled changes',
              })}
            </Typography>
            <Badge>
              {formatMessage(
                {
                  id: getTranslation('schedules.panel.pendingCount'),
                  defaultMessage: '{count} pending',
                },
                { count: pending.length }
              )}
            </Badge>
          </Flex>
          <Flex gap={2} alignItems="center">
            {schedules.isFetching && (
              <Loader small>
                {formatMessage({
                  id: getTranslation('schedules.panel.loading'),
                  defaultMessage: 'Loading the schedules',
                })}
              </Loader>
            )}
            <Button
              variant="tertiary"
              size="S"
              startIcon={<ArrowClockwise />}
              onClick={() => void schedules.refetch()}
            >
              {formatMessage({
                id: getTranslation('schedules.panel.refresh'),
                defaultMessage: 'Refresh the schedules',
              })}
            </Button>
            {canSchedule && (
              <Button size="S" startIcon={<Plus />} onClick={() => setCreating(true)}>
                {formatMessage({
                  id: getTranslation('schedules.panel.create'),
                  defaultMessage: 'Schedule a change',
                })}
              </Button>
            )}
          </Flex>
        </Flex>

        {schedules.error ? (
          <Typography textColor="danger600">
            {formatMessage(
              {
                id: getTranslation('schedules.panel.error'),
                defaultMessage: 'Could not load the schedules: {message}',
              },
              { message: errorMessage(schedules.error) }
            )}
          </Typography>
        ) : null}

        {pending.length === 0 ? (
          <Typography textColor="neutral600">
            {formatMessage({
              id: getTranslation('schedules.panel.empty'),
              defaultMessage: 'Nothing scheduled.',
            })}
            {canSchedule && (
              <Box tag="span" paddingLeft={1}>
                {formatMessage({
                  id: getTranslation('schedules.panel.empty.hint'),
                  defaultMessage:
                    'Prepare a publish, a rollback or a patch for a date and time, e.g. the launch minute.',
                })}
              </Box>
            )}
          </Typography>
        ) : (
          <List
            label={formatMessage({
              id: getTranslation('schedules.panel.pending.label'),
              defaultMessage: 'Pending schedules',
            })}
          >
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
              {formatMessage({
                id: getTranslation('schedules.panel.finished.title'),
                defaultMessage: 'Recently finished',
              })}
            </Typography>
            <List
              label={formatMessage({
                id: getTranslation('schedules.panel.finished.label'),
                defaultMessage: 'Recently finished schedules',
              })}
            >
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
          onCreated={() => setCreating(false)}
        />
      )}
      <Dialog.Root open={cancelling !== null} onOpenChange={(open) => !open && setCancelling(null)}>
        <Dialog.Content>
          <Dialog.Header>
            {formatMessage({
              id: getTranslation('schedules.cancelDialog.title'),
              defaultMessage: 'Cancel this schedule?',
            })}
          </Dialog.Header>
          <Dialog.Body icon={<WarningCircle fill="danger600" />}>
            <Dialog.Description>
              {cancelling &&
                formatMessage(
                  {
                    id: getTranslation('schedules.cancelDialog.description'),
                    defaultMessage:
                      '{what}, {when}, will not run. This cannot be undone; schedule it again if needed.',
                  },
                  {
                    what: describeKind(cancelling, formatMessage),
                    when: describeTime(cancelling.runAt, timeZone, locale).local,
                  }
                )}
            </Dialog.Description>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                {formatMessage({
                  id: getTranslation('schedules.cancelDialog.keep'),
                  defaultMessage: 'Keep it',
                })}
              </Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                fullWidth
                variant="danger-light"
                onClick={() => cancelling && cancel(cancelling)}
              >
                {formatMessage({
                  id: getTranslation('schedules.cancelDialog.confirm'),
                  defaultMessage: 'Cancel the schedule',
                })}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};
