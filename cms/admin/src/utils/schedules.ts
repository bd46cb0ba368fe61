/**
 * Pure helpers of the "Scheduled changes" panel and dialog: how a schedule's
 * time reads (the admin's own time zone, named, plus UTC), what it does in
 * words, how it ended (and why it failed), the value a patch field holds, and the server's 422
 * field errors keyed by field so each shows next to its input.
 */
import type {
  FieldDiff,
  Schedule,
  ScheduleFailureReason,
} from '../../../shared/contracts/settings';
import type { FieldDefinition } from '../../../shared/settings-fields';
import { fieldLabel } from './fields';

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

/** "GMT+2" for that zone at that instant (offsets change with summer time). */
export const zoneOffset = (date: Date, timeZone: string): string => {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(date)
    .find((piece) => piece.type === 'timeZoneName');
  return part?.value ?? timeZone;
};

/** How a schedule's time reads: local (with the zone named) and UTC, both unambiguous. */
export const describeTime = (iso: string, timeZone = localTimeZone()) => {
  const date = new Date(iso);
  const local = new Intl.DateTimeFormat(undefined, {
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
  return { local: `${local} (${timeZone}, ${zoneOffset(date, timeZone)})`, utc };
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
export const describeKind = (schedule: Pick<Schedule, 'kind' | 'targetVersion' | 'data'>) => {
  switch (schedule.kind) {
    case 'publish':
      return 'Publish the draft';
    case 'rollback':
      return `Roll back to version ${schedule.targetVersion}`;
    default: {
      const fields = Object.keys(schedule.data ?? {});
      return `Patch: ${fields.map(fieldLabel).join(', ')}`;
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
const FAILED_LABELS: Record<ScheduleFailureReason, string> = {
  invalid: 'Failed',
  tampered: 'Failed: tampered',
  forbidden: 'Failed: not permitted',
};

/** How a finished schedule ended, for its badge. */
export const outcomeOf = (schedule: Schedule): Outcome => {
  const lateness =
    schedule.ranAt === null ? 0 : Date.parse(schedule.ranAt) - Date.parse(schedule.runAt);
  const lateByMs = schedule.status !== 'cancelled' && lateness > LATE_AFTER_MS ? lateness : null;
  switch (schedule.status) {
    case 'done':
      return {
        label: lateByMs ? 'Ran late' : 'Done',
        variant: lateByMs ? 'warning' : 'success',
        lateByMs,
      };
    case 'failed':
      return {
        label: FAILED_LABELS[schedule.failureReason ?? 'invalid'],
        variant: 'danger',
        lateByMs,
      };
    case 'running':
      return { label: 'Running', variant: 'neutral', lateByMs: null };
    case 'skipped':
      return { label: 'Skipped', variant: 'warning', lateByMs };
    case 'cancelled':
      return { label: 'Cancelled', variant: 'neutral', lateByMs };
    default:
      return { label: 'Pending', variant: 'neutral', lateByMs };
  }
};

/** "4 min", "2 h 5 min", "3 days". */
export const formatDuration = (ms: number): string => {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${Math.max(minutes, 1)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
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
 * so each message shows under its own input.
 */
export const fieldErrorsOf = (error: unknown): Record<string, string> => {
  // The shape of the admin fetch client's FetchError, read without importing the admin app.
  const details = (
    error as {
      response?: {
        data?: { error?: { details?: { errors?: { path?: unknown[]; message?: string }[] } } };
      };
    } | null
  )?.response?.data?.error?.details;
  const result: Record<string, string> = {};
  for (const entry of details?.errors ?? []) {
    const key = (entry.path ?? []).map(String).join('.');
    if (key && entry.message && !result[key]) result[key] = entry.message;
  }
  return result;
};
