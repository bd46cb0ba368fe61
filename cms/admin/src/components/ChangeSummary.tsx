/** Small pieces shared by the history table and the version view. */
import { Badge, Flex, Tooltip, Typography } from '@strapi/design-system';
import { Clock, Pin } from '@strapi/icons';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import { fieldLabel } from '../utils/fields';
import { CHANGE_TYPE_LABELS } from '../utils/format';

const CHANGE_TYPE_VARIANTS = {
  create: 'secondary',
  update: 'neutral',
  rollback: 'warning',
} as const;

export const ChangeTypeBadge = ({ entry }: { entry: HistoryEntry }) => (
  <Flex gap={1} alignItems="center">
    <Badge variant={CHANGE_TYPE_VARIANTS[entry.changeType]}>
      {CHANGE_TYPE_LABELS[entry.changeType]}
    </Badge>
    {entry.restoredFrom !== null && (
      <Typography variant="pi" textColor="neutral600">
        to v{entry.restoredFrom}
      </Typography>
    )}
    {entry.author.scheduled && <ScheduledMarker runAt={entry.author.scheduled.runAt} />}
  </Flex>
);

/** The version was made by a schedule, credited to the admin who prepared it. */
export const ScheduledMarker = ({ runAt }: { runAt: string }) => (
  <Tooltip
    label={`Made by a schedule set for ${new Date(runAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`}
  >
    <Flex gap={1} alignItems="center" tag="span" data-testid="scheduled-marker">
      <Clock fill="secondary600" aria-hidden />
      <Typography variant="pi" textColor="secondary600">
        Scheduled
      </Typography>
    </Flex>
  </Tooltip>
);

export const LiveBadge = () => <Badge variant="success">Live</Badge>;

export const PinMarker = ({ label }: { label: string | null }) => (
  <Tooltip label={label ? `Pinned: ${label}` : 'Pinned as known-good'}>
    <Flex gap={1} alignItems="center" tag="span">
      <Pin fill="primary600" aria-hidden />
      <Typography variant="pi" textColor="primary600" ellipsis style={{ maxWidth: '14rem' }}>
        {label ?? 'Pinned'}
      </Typography>
    </Flex>
  </Tooltip>
);

/** At most `max` field names inline; the rest behind a tooltip, so rows keep one height. */
export const ChangedFields = ({ fields, max = 3 }: { fields: string[]; max?: number }) => {
  if (fields.length === 0) return <Typography textColor="neutral500">—</Typography>;
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
        <Tooltip label={rest.map(fieldLabel).join(', ')}>
          <Typography variant="pi" textColor="neutral600" tag="span">
            +{rest.length} more
          </Typography>
        </Tooltip>
      )}
    </Flex>
  );
};
