/** Small pieces shared by the history table and the version view. */
import { Badge, Flex, Tooltip, Typography } from '@strapi/design-system';
import { Clock, Pin } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import { fieldLabel } from '../utils/fields';
import { changeTypeLabel } from '../utils/format';
import { getTranslation } from '../utils/getTranslation';

/** A dash for "nothing": a symbol, not words, so the same in every language. */
export const NO_VALUE = '—';

const CHANGE_TYPE_VARIANTS = {
  create: 'secondary',
  update: 'neutral',
  rollback: 'warning',
} as const;

export const ChangeTypeBadge = ({ entry }: { entry: HistoryEntry }) => {
  const intl = useIntl();
  return (
    <Flex gap={1} alignItems="center">
      <Badge variant={CHANGE_TYPE_VARIANTS[entry.changeType]}>
        {changeTypeLabel(entry.changeType, intl)}
      </Badge>
      {entry.restoredFrom !== null && (
        <Typography variant="pi" textColor="neutral600">
          {intl.formatMessage(
            { id: getTranslation('changeType.restoredFrom'), defaultMessage: 'to v{version}' },
            { version: entry.restoredFrom }
          )}
        </Typography>
      )}
      {entry.author.scheduled && <ScheduledMarker runAt={entry.author.scheduled.runAt} />}
    </Flex>
  );
};

/** The version was made by a schedule, credited to the admin who prepared it. */
export const ScheduledMarker = ({ runAt }: { runAt: string }) => {
  const { formatMessage, formatDate } = useIntl();
  return (
    <Tooltip
      label={formatMessage(
        {
          id: getTranslation('changeType.scheduledTooltip'),
          defaultMessage: 'Made by a schedule set for {runAt} UTC',
        },
        {
          runAt: formatDate(runAt, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
        }
      )}
    >
      <Flex gap={1} alignItems="center" tag="span" data-testid="scheduled-marker">
        <Clock fill="secondary600" aria-hidden />
        <Typography variant="pi" textColor="secondary600">
          {formatMessage({
            id: getTranslation('changeType.scheduled'),
            defaultMessage: 'Scheduled',
          })}
        </Typography>
      </Flex>
    </Tooltip>
  );
};

export const LiveBadge = () => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant="success">
      {formatMessage({ id: getTranslation('version.live'), defaultMessage: 'Live' })}
    </Badge>
  );
};

export const PinMarker = ({ label }: { label: string | null }) => {
  const { formatMessage } = useIntl();
  return (
    <Tooltip
      label={
        label
          ? formatMessage(
              { id: getTranslation('pin.tooltip'), defaultMessage: 'Pinned: {label}' },
              { label }
            )
          : formatMessage({
              id: getTranslation('pin.tooltipUnlabelled'),
              defaultMessage: 'Pinned as known-good',
            })
      }
    >
      <Flex gap={1} alignItems="center" tag="span">
        <Pin fill="primary600" aria-hidden />
        <Typography variant="pi" textColor="primary600" ellipsis style={{ maxWidth: '14rem' }}>
          {label ?? formatMessage({ id: getTranslation('pin.pinned'), defaultMessage: 'Pinned' })}
        </Typography>
      </Flex>
    </Tooltip>
  );
};

/** At most `max` field names inline; the rest behind a tooltip, so rows keep one height. */
export const ChangedFields = ({ fields, max = 3 }: { fields: string[]; max?: number }) => {
  const { formatMessage, formatList } = useIntl();
  if (fields.length === 0) return <Typography textColor="neutral500">{NO_VALUE}</Typography>;
  const shown = fields.slice(0, max);
  const rest = fields.slice(max);
  return (
    <Flex gap={1} wrap="wrap" data-testid="changed-fields">
      {shown.map((field) => (
        <Badge key={field} variant="primary" title={field}>
          {fieldLabel(field)}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={formatList(rest.map(fieldLabel), { type: 'unit' })}>
          <Typography variant="pi" textColor="neutral600" tag="span">
            {formatMessage(
              { id: getTranslation('fields.more'), defaultMessage: '+{count} more' },
              { count: rest.length }
            )}
          </Typography>
        </Tooltip>
      )}
    </Flex>
  );
};
