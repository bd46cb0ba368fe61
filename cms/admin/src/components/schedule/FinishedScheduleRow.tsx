/** A finished schedule: its outcome (done, skipped, failed, cancelled, late), author and result. */
import * as React from 'react';
import { Badge, Flex, Link, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { Schedule } from '../../../../shared/contracts/settings';
import { HISTORY_PATH } from '../../pluginId';
import { authorName } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { describeKind, describeTime, formatDuration, outcomeOf } from '../../utils/schedules';
import { Card, When } from './ScheduleCard';

export const FinishedScheduleRow = ({
  schedule,
  timeZone,
}: {
  schedule: Schedule;
  timeZone: string;
}) => {
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
