/**
 * "Scheduled changes" of the type the history page shows (the type picker's): the pending ones, soonest first,
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
import { Badge, Box, Button, Dialog, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Clock, Plus, WarningCircle } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useCanSchedule, useCurrentType } from '../hooks/useCurrentType';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useCancelScheduleMutation, useListSchedulesQuery } from '../services/api';
import { getTranslation } from '../utils/getTranslation';
import { describeKind, describeTime, localTimeZone } from '../utils/schedules';
import { ScheduleDialog } from './ScheduleDialog';
import { FinishedScheduleRow } from './schedule/FinishedScheduleRow';
import { PendingScheduleCard, type PendingSchedule } from './schedule/PendingScheduleCard';

/** Finished schedules shown: the latest few are what someone checks after a launch night. */
const RECENT_SHOWN = 10;

interface SchedulesPanelProps {
  liveVersion: number;
}
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
  const { type, isSettings } = useCurrentType();
  const canSchedule = useCanSchedule(type);
  const timeZone = React.useMemo(localTimeZone, []);
  const schedules = useListSchedulesQuery({ type: type.key });
  const [cancelSchedule] = useCancelScheduleMutation();
  const [isCreating, setCreating] = React.useState(false);
  const [cancelling, setCancelling] = React.useState<PendingSchedule | null>(null);

  const pending = schedules.data?.pending ?? [];
  const recent = (schedules.data?.past ?? [])
    .filter((schedule) => schedule.status !== 'cancelled')
    .slice(0, RECENT_SHOWN);

  const cancel = async (schedule: PendingSchedule) => {
    try {
      await cancelSchedule({ type: type.key, id: schedule.id }).unwrap();
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
                {isSettings
                  ? formatMessage({
                      id: getTranslation('schedules.panel.empty.hint'),
                      defaultMessage:
                        'Prepare a publish, a rollback or a patch for a date and time, e.g. the launch minute.',
                    })
                  : formatMessage({
                      id: getTranslation('schedules.panel.empty.hintType'),
                      defaultMessage:
                        'Prepare a publish or a rollback for a date and time, e.g. the launch minute.',
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
              <PendingScheduleCard
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
                <FinishedScheduleRow key={schedule.id} schedule={schedule} timeZone={timeZone} />
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
