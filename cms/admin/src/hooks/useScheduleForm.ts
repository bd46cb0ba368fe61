/**
 * The state of the "Schedule a change" form: what happens, when (a date and a time in the
 * admin's zone), the rollback target or patch fields, the "only if live is still version N"
 * condition and the note; what it sends (what the server's `validate` expects), and the
 * server's 422 field errors keyed by input.
 */
import * as React from 'react';
import type { CreateSchedule, Schedule } from '../../../shared/contracts/settings';
import {
  SETTINGS_FIELD_NAMES,
  SETTINGS_FIELDS,
  type FieldDefinition,
} from '../../../shared/settings-fields';
import { SETTINGS_KEY } from '../pluginId';
import { useCreateScheduleMutation, useGetLiveQuery } from '../services/api';
import {
  combineDateAndTime,
  fieldErrorsOf,
  localTimeZone,
  patchValue,
  timeOfDay,
} from '../utils/schedules';

export const MAX_NOTE_LENGTH = 500;

export type ScheduleKind = Schedule['kind'];

/** An hour from now, on the quarter hour: a sensible start that is never in the past. */
const defaultRunAt = () => {
  const date = new Date(Date.now() + 60 * 60_000);
  date.setMinutes(Math.ceil(date.getMinutes() / 15) * 15, 0, 0);
  return date;
};

export const definitionOf = (field: string) =>
  (SETTINGS_FIELDS as Record<string, FieldDefinition>)[field];

/** Keys of errors shown under an input of their own; the others go in the alert. */
const INPUT_KEYS = ['kind', 'runAt', 'targetVersion', 'ifVersion', 'note'];

interface Options {
  /** The versioned type's key: a patch is the settings' only. */
  type: string;
  liveVersion: number;
  initialRollbackTo?: number;
  onCreated: (schedule: Schedule) => void;
  /** The "choose a date and a time" message, in the admin's language. */
  missingRunAtMessage: string;
}

export const useScheduleForm = ({
  type,
  liveVersion,
  initialRollbackTo,
  onCreated,
  missingRunAtMessage,
}: Options) => {
  // The settings' fields, for a patch (another type has no patch).
  const live = useGetLiveQuery(undefined, { skip: type !== SETTINGS_KEY });
  const [createSchedule] = useCreateScheduleMutation();
  const timeZone = React.useMemo(localTimeZone, []);
  const [start] = React.useState(defaultRunAt);

  const [kind, setKind] = React.useState<ScheduleKind>(
    initialRollbackTo !== undefined ? 'rollback' : 'publish'
  );
  const [day, setDay] = React.useState<Date | undefined>(start);
  const [time, setTime] = React.useState<string | undefined>(timeOfDay(start));
  const [targetVersion, setTargetVersion] = React.useState<number | undefined>(
    initialRollbackTo ?? (liveVersion > 1 ? liveVersion - 1 : undefined)
  );
  const [patch, setPatch] = React.useState<Record<string, unknown>>({});
  const [onlyIfLive, setOnlyIfLive] = React.useState(false);
  const [ifVersion, setIfVersion] = React.useState<number | undefined>(liveVersion);
  const [note, setNote] = React.useState('');
  const [isSubmitting, setSubmitting] = React.useState(false);
  const [serverError, setServerError] = React.useState<unknown>(undefined);
  const [fieldErrors, setFieldErrors] = React.useState<Record<string, string>>({});

  const runAt = combineDateAndTime(day, time);
  const liveSettings = live.data?.settings as Record<string, unknown> | undefined;
  const patchFields = Object.keys(patch);
  const sentPatch = Object.fromEntries(
    patchFields.map((field) => [field, patchValue(definitionOf(field), patch[field])])
  );

  const patchActions = {
    add: (field: string) =>
      setPatch((previous) => ({ ...previous, [field]: liveSettings?.[field] ?? '' })),
    set: (field: string, value: unknown) =>
      setPatch((previous) => ({ ...previous, [field]: value })),
    remove: (field: string) =>
      setPatch((previous) => {
        const { [field]: _removed, ...rest } = previous;
        return rest;
      }),
  };

  const shownKeys = new Set([...INPUT_KEYS, ...patchFields.map((field) => `data.${field}`)]);
  // Errors with no input of their own (e.g. "data" as a whole) go in the alert at the top.
  const otherErrors = Object.entries(fieldErrors).filter(([key]) => !shownKeys.has(key));

  const submit = async () => {
    if (!runAt) {
      setFieldErrors({ runAt: missingRunAtMessage });
      return;
    }
    const body: CreateSchedule.Request = {
      kind,
      runAt: runAt.toISOString(),
      ...(kind === 'patch' ? { data: sentPatch } : {}),
      ...(kind === 'rollback' && targetVersion !== undefined ? { targetVersion } : {}),
      ...(onlyIfLive && ifVersion !== undefined ? { ifVersion } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    setSubmitting(true);
    setServerError(undefined);
    setFieldErrors({});
    try {
      onCreated(await createSchedule({ type, ...body }).unwrap());
    } catch (error) {
      setServerError(error);
      setFieldErrors(fieldErrorsOf(error));
      setSubmitting(false);
    }
  };

  return {
    timeZone,
    start,
    runAt,
    kind,
    setKind,
    day,
    setDay,
    time,
    setTime,
    targetVersion,
    setTargetVersion,
    patch,
    patchFields,
    sentPatch,
    patchActions,
    addableFields: SETTINGS_FIELD_NAMES.filter((field) => !(field in patch)),
    liveSettings,
    liveNow: live.data?.settings.version ?? liveVersion,
    canPatch: type === SETTINGS_KEY,
    onlyIfLive,
    setOnlyIfLive,
    ifVersion,
    setIfVersion,
    note,
    setNote,
    noteTooLong: note.length > MAX_NOTE_LENGTH,
    isSubmitting,
    serverError,
    dismissServerError: () => setServerError(undefined),
    errorFor: (key: string): string | undefined => fieldErrors[key],
    otherErrors,
    canSubmit:
      !isSubmitting &&
      note.length <= MAX_NOTE_LENGTH &&
      !(kind === 'patch' && patchFields.length === 0),
    submit,
  };
};

export type ScheduleForm = ReturnType<typeof useScheduleForm>;
