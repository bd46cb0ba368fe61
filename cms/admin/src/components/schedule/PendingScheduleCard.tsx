/**
 * A pending schedule: its time, what it does and what it would change if it ran now, its
 * note, author and "only if live is still version N" condition, and Cancel where allowed.
 */
import * as React from 'react';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { FieldDiff, Schedule } from '../../../../shared/contracts/settings';
import { authorName } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { describeKind, describeTime } from '../../utils/schedules';
import { DiffTable } from '../DiffTable';
import { Card, When } from './ScheduleCard';

export type PendingSchedule = Schedule & { diff: FieldDiff[] };

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

export const PendingScheduleCard = ({
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
