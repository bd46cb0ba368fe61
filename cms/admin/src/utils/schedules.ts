/**
 * Pure helpers of the "Scheduled changes" panel and dialog: how a schedule's
 * time reads (the admin's own time zone, named, plus UTC, in the admin's locale), what it
 * does in words, how it ended (and why it failed), the value a patch field holds, and the
 * server's 422 field errors keyed by field so each shows next to its input. Words come
 * from react-intl's `formatMessage` (keys `platform-settings.schedules.*`).
 */
import type { IntlShape } from 'react-intl';
import type {
  FieldDiff,
  Schedule,
  ScheduleFailureReason,
} from '../../../shared/contracts/settings';
import type { FieldDefinition } from '../../../shared/settings-fields';
import { fieldLabel } from './fields';
import { getTranslation } from './getTranslation';

type FormatMessage = IntlShape['formatMessage'];

/** Later than this after its time, a run counts as late (the server's rule too). */
export const LATE_AFTER_MS = 60_000;

/** The browser's IANA zone, e.g. "Europe/Berlin"; "UTC" when the browser will not say. */
export const localTimeZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

/** "GMT+2" for that zone at that instant (offsets change with summer time), in `locale`. */
export const zoneOffset = (date: Date, timeZone: string, locale = 'en'): string => {
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(date)
    .find((piece) => piece.type === 'timeZoneName');
  return part?.value ?? timeZone;
};

/** How a schedule's time reads: local (with the zone named) and UTC, both unambiguous. */
export const describeTime = (iso: string, timeZone = localTimeZone(), locale = 'en') => {
  const date = new Date(iso);
  const local = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  const utc = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return { local: `${local} (${timeZone}, ${zoneOffset(date, timeZone, locale)})`, utc };
};

/** A local date (its day) and "HH:mm" → that instant in the browser's zone; undefined if incomplete. */
export const combineDateAndTime = (
  day: Date | undefined,
  time: string | undefined
): Date | undefined => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time ?? '');
  if (!day || !match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes, 0, 0);
};

/** "HH:mm" of a date in the browser's zone (the TimePicker's format). */
export const timeOfDay = (date: Date): string =>
  `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;

/** What a schedule does, in words. */
export const describeKind = (
  schedule: Pick<Schedule, 'kind' | 'targetVersion' | 'data'>,
  formatMessage: FormatMessage
) => {
  switch (schedule.kind) {
    case 'publish':
      return formatMessage({
        id: getTranslation('schedules.kind.publish'),
        defaultMessage: 'Publish the draft',
      });
    case 'rollback':
      return formatMessage(
        {
          id: getTranslation('schedules.kind.rollback'),
          defaultMessage: 'Roll back to version {version}',
        },
        { version: schedule.targetVersion }
      );
    default: {
      const fields = Object.keys(schedule.data ?? {});
      return formatMessage(
        { id: getTranslation('schedules.kind.patch'), defaultMessage: 'Patch: {fields}' },
        { fields: fields.map(fieldLabel).join(', ') }
      );
    }
  }
};

export type Outcome = {
  label: string;
  variant: 'success' | 'danger' | 'warning' | 'neutral';
  /** Milliseconds after its time when it ran late, else null. */
  lateByMs: number | null;
};

/**
 * Why it failed, on its badge: tampered (its row was changed in the database, so it
 * never ran), forbidden (its author may not, or no longer, make that change).
 */
const FAILED_LABELS: Record<ScheduleFailureReason, { id: string; defaultMessage: string }> = {
  invalid: { id: getTranslation('schedules.outcome.failed'), defaultMessage: 'Failed' },
  tampered: {
    id: getTranslation('schedules.outcome.failed.tampered'),
    defaultMessage: 'Failed: tampered',
  },
  forbidden: {
    id: getTranslation('schedules.outcome.failed.forbidden'),
    defaultMessage: 'Failed: not permitted',
  },
};

const OUTCOME_LABELS = {
  done: { id: getTranslation('schedules.outcome.done'), defaultMessage: 'Done' },
  late: { id: getTranslation('schedules.outcome.late'), defaultMessage: 'Ran late' },
  running: { id: getTranslation('schedules.outcome.running'), defaultMessage: 'Running' },
  skipped: { id: getTranslation('schedules.outcome.skipped'), defaultMessage: 'Skipped' },
  cancelled: { id: getTranslation('schedules.outcome.cancelled'), defaultMessage: 'Cancelled' },
  pending: { id: getTranslation('schedules.outcome.pending'), defaultMessage: 'Pending' },
};

/** How a finished schedule ended, for its badge. */
export const outcomeOf = (schedule: Schedule, formatMessage: FormatMessage): Outcome => {
  const lateness =
    schedule.ranAt === null ? 0 : Date.parse(schedule.ranAt) - Date.parse(schedule.runAt);
  const lateByMs = schedule.status !== 'cancelled' && lateness > LATE_AFTER_MS ? lateness : null;
  switch (schedule.status) {
    case 'done':
      return {
        label: formatMessage(lateByMs ? OUTCOME_LABELS.late : OUTCOME_LABELS.done),
        variant: lateByMs ? 'warning' : 'success',
        lateByMs,
      };
    case 'failed':
      return {
        label: formatMessage(FAILED_LABELS[schedule.failureReason ?? 'invalid']),
        variant: 'danger',
        lateByMs,
      };
    case 'running':
      return { label: formatMessage(OUTCOME_LABELS.running), variant: 'neutral', lateByMs: null };
    case 'skipped':
      return { label: formatMessage(OUTCOME_LABELS.skipped), variant: 'warning', lateByMs };
    case 'cancelled':
      return { label: formatMessage(OUTCOME_LABELS.cancelled), variant: 'neutral', lateByMs };
    default:
      return { label: formatMessage(OUTCOME_LABELS.pending), variant: 'neutral', lateByMs };
  }
};

/** "4 min", "2 hr, 5 min", "3 days", in the admin's locale (Intl's own unit names). */
export const formatDuration = (ms: number, locale = 'en'): string => {
  const unit = (value: number, name: 'minute' | 'hour' | 'day', display: 'short' | 'long') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: display }).format(
      value
    );
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return unit(Math.max(minutes, 1), 'minute', 'short');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    if (minutes % 60 === 0) return unit(hours, 'hour', 'short');
    return new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format([
      unit(hours, 'hour', 'short'),
      unit(minutes % 60, 'minute', 'short'),
    ]);
  }
  return unit(Math.round(hours / 24), 'day', 'long');
};

/** The fields a patch sets, against the live settings (only those that differ). */
export const patchDiff = (
  live: Record<string, unknown>,
  patch: Record<string, unknown>
): FieldDiff[] =>
  Object.entries(patch)
    .filter(([field, value]) => live[field] !== value)
    .map(([field, value]) => ({ field, from: live[field] ?? null, to: value }));

export type PatchInputKind = 'text' | 'longText' | 'color' | 'boolean' | 'integer' | 'decimal';

/** Which input edits a field in a patch, from its definition. */
export const patchInputKind = (definition: FieldDefinition): PatchInputKind => {
  switch (definition.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return definition.type;
    case 'text':
      return 'longText';
    default:
      return definition.color ? 'color' : 'text';
  }
};

/**
 * The value sent for a patch field: an optional text left empty is sent as
 * `null` (cleared, as the Content Manager does); a required one stays "" so
 * the server names the problem.
 */
export const patchValue = (definition: FieldDefinition, value: unknown): unknown => {
  if (definition.type === 'string' || definition.type === 'text') {
    const text = typeof value === 'string' ? value : '';
    return text === '' && !definition.required ? null : text;
  }
  return value;
};

/**
 * The server's 422 details as `{ "runAt": "must be in the future", "data.heroTitle": … }`,
 * so each message shows under its own input. `error` is what the admin's RTK Query layer
 * returns: the response's `error` object (`{ status, name, message, details }`).
 */
export const fieldErrorsOf = (error: unknown): Record<string, string> => {
  const details = (
    error as { details?: { errors?: { path?: unknown[]; message?: string }[] } } | null
  )?.details;
  const result: Record<string, string> = {};
  for (const entry of details?.errors ?? []) {
    const key = (entry.path ?? []).map(String).join('.');
    if (key && entry.message && !result[key]) result[key] = entry.message;
  }
  return result;
};
