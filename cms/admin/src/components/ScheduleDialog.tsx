/**
 * "Schedule a change": publish the draft, roll back to a version, or apply a
 * patch of field values, at a date and time in the admin's own time zone
 * (named, with the UTC equivalent, since the server runs on UTC and the people
 * reading the schedule later may not share the zone). The server checks the
 * request; its 422 field errors show under the inputs they concern.
 */
import * as React from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  DatePicker,
  Field,
  Flex,
  Grid,
  IconButton,
  Modal,
  NumberInput,
  Radio,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  TimePicker,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { CreateSchedule, Schedule } from '../../../shared/contracts/settings';
import {
  SETTINGS_FIELD_NAMES,
  SETTINGS_FIELDS,
  type FieldDefinition,
} from '../../../shared/settings-fields';
import { useSettingsApi } from '../api';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useRequest } from '../hooks/useRequest';
import { fieldLabel } from '../utils/fields';
import {
  combineDateAndTime,
  describeTime,
  fieldErrorsOf,
  localTimeZone,
  patchDiff,
  patchInputKind,
  patchValue,
  timeOfDay,
  zoneOffset,
} from '../utils/schedules';
import { DiffTable } from './DiffTable';
import { Swatch } from './FieldValue';

const MAX_NOTE_LENGTH = 500;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

export type ScheduleKind = Schedule['kind'];

interface ScheduleDialogProps {
  /** The live version now: the default of "only if live is still version N". */
  liveVersion: number;
  /** Opened from a version's actions: a rollback to that version, preselected. */
  initialRollbackTo?: number;
  onClose: () => void;
  onCreated: (schedule: Schedule) => void;
}

/** An hour from now, on the quarter hour: a sensible start that is never in the past. */
const defaultRunAt = () => {
  const date = new Date(Date.now() + 60 * 60_000);
  date.setMinutes(Math.ceil(date.getMinutes() / 15) * 15, 0, 0);
  return date;
};

const definitionOf = (field: string) => (SETTINGS_FIELDS as Record<string, FieldDefinition>)[field];

interface PatchFieldProps {
  field: string;
  value: unknown;
  error?: string;
  onChange: (value: unknown) => void;
  onRemove: () => void;
}

/** One field of a patch, edited with the input its type calls for. */
const PatchField = ({ field, value, error, onChange, onRemove }: PatchFieldProps) => {
  const definition = definitionOf(field);
  const label = fieldLabel(field);
  const kind = patchInputKind(definition);
  const text = typeof value === 'string' ? value : '';
  let input: React.ReactNode;
  switch (kind) {
    case 'boolean':
      input = (
        <Toggle
          onLabel="On"
          offLabel="Off"
          checked={Boolean(value)}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.checked)}
        />
      );
      break;
    case 'integer':
    case 'decimal':
      input = (
        <NumberInput
          value={typeof value === 'number' ? value : undefined}
          step={kind === 'integer' ? 1 : 0.1}
          onValueChange={(next) => onChange(next ?? null)}
        />
      );
      break;
    case 'longText':
      input = (
        <Textarea
          value={text}
          onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => onChange(event.target.value)}
        />
      );
      break;
    case 'color':
      input = (
        <TextInput
          value={text}
          placeholder="#RRGGBB"
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
          startAction={
            HEX_COLOR.test(text) ? (
              <Swatch $color={text} data-testid="color-swatch" aria-hidden />
            ) : undefined
          }
          endAction={
            <input
              type="color"
              aria-label={`Pick ${label}`}
              value={HEX_COLOR.test(text) ? text.toLowerCase() : '#000000'}
              onChange={(event) => onChange(event.target.value.toUpperCase())}
              style={{ width: '2.4rem', height: '2.4rem', border: 'none', padding: 0 }}
            />
          }
        />
      );
      break;
    default:
      input = (
        <TextInput
          value={text}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        />
      );
  }
  return (
    <Flex gap={2} alignItems="flex-start" data-patch-field={field}>
      <Box flex="1">
        <Field.Root name={`data.${field}`} hint={definition.help} error={error}>
          <Field.Label>{label}</Field.Label>
          {input}
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      </Box>
      <Box paddingTop={6}>
        <IconButton label={`Remove ${label} from the patch`} variant="ghost" onClick={onRemove}>
          <Trash />
        </IconButton>
      </Box>
    </Flex>
  );
};

export const ScheduleDialog = ({
  liveVersion,
  initialRollbackTo,
  onClose,
  onCreated,
}: ScheduleDialogProps) => {
  const api = useSettingsApi();
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const live = useRequest(() => api.live(), 'live');
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
  const addable = SETTINGS_FIELD_NAMES.filter((field) => !(field in patch));
  const noteTooLong = note.length > MAX_NOTE_LENGTH;
  const sentPatch = Object.fromEntries(
    patchFields.map((field) => [field, patchValue(definitionOf(field), patch[field])])
  );

  const addField = (field: string) =>
    setPatch((previous) => ({ ...previous, [field]: liveSettings?.[field] ?? '' }));

  const errorFor = (key: string) => fieldErrors[key];
  // Errors with no input of their own (e.g. "data" as a whole) go in the alert at the top.
  const shownKeys = new Set([
    'kind',
    'runAt',
    'targetVersion',
    'ifVersion',
    'note',
    ...patchFields.map((field) => `data.${field}`),
  ]);
  const otherErrors = Object.entries(fieldErrors).filter(([key]) => !shownKeys.has(key));

  const submit = async () => {
    if (!runAt) {
      setFieldErrors({ runAt: 'Choose a date and a time' });
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
      const created = await api.createSchedule(body);
      toggleNotification({
        type: 'success',
        title: 'Scheduled',
        message: `${describeTime(created.runAt, timeZone).local}.`,
      });
      onCreated(created);
    } catch (error) {
      setServerError(error);
      setFieldErrors(fieldErrorsOf(error));
      setSubmitting(false);
    }
  };

  const when = runAt ? describeTime(runAt.toISOString(), timeZone) : undefined;
  const zone = `${timeZone} (${zoneOffset(runAt ?? start, timeZone)})`;

  return (
    <Modal.Root open onOpenChange={(open) => !open && !isSubmitting && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>Schedule a change</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={5}>
            {serverError !== undefined && (
              <Alert
                variant="danger"
                title="Not scheduled"
                closeLabel="Dismiss"
                onClose={() => setServerError(undefined)}
              >
                {errorMessage(serverError)}
                {otherErrors.map(([key, message]) => (
                  <Typography key={key} tag="div">
                    {key}: {message}
                  </Typography>
                ))}
              </Alert>
            )}

            <Field.Root name="kind" error={errorFor('kind')}>
              <Field.Label>What happens</Field.Label>
              <Radio.Group
                aria-label="What happens"
                value={kind}
                onValueChange={(value) => setKind(value as ScheduleKind)}
              >
                <Radio.Item value="publish">Publish the current draft</Radio.Item>
                <Radio.Item value="rollback">Roll back to a version</Radio.Item>
                <Radio.Item value="patch">
                  Set some fields (a patch on whatever is live then)
                </Radio.Item>
              </Radio.Group>
              <Field.Error />
            </Field.Root>

            {kind === 'publish' && (
              <Typography textColor="neutral600">
                The draft as it stands at that time is published as a new version. Until then, the
                panel shows what it would change.
              </Typography>
            )}

            {kind === 'rollback' && (
              <Field.Root
                name="targetVersion"
                hint={`A version from the history (live is version ${liveVersion}).`}
                error={errorFor('targetVersion')}
              >
                <Field.Label>Version to restore</Field.Label>
                <NumberInput value={targetVersion} step={1} onValueChange={setTargetVersion} />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            )}

            {kind === 'patch' && (
              <Flex direction="column" alignItems="stretch" gap={3} data-testid="patch-fields">
                {patchFields.map((field) => (
                  <PatchField
                    key={field}
                    field={field}
                    value={patch[field]}
                    error={errorFor(`data.${field}`)}
                    onChange={(value) => setPatch((previous) => ({ ...previous, [field]: value }))}
                    onRemove={() =>
                      setPatch((previous) => {
                        const { [field]: _removed, ...rest } = previous;
                        return rest;
                      })
                    }
                  />
                ))}
                <Field.Root
                  name="addField"
                  hint={
                    patchFields.length === 0
                      ? 'Pick each field the change sets; the others keep whatever is live then.'
                      : undefined
                  }
                  error={errorFor('data')}
                >
                  <Field.Label>Add a field to set</Field.Label>
                  <SingleSelect
                    placeholder="Choose a field"
                    value={null}
                    disabled={!liveSettings || addable.length === 0}
                    onChange={(value) => addField(String(value))}
                  >
                    {addable.map((field) => (
                      <SingleSelectOption key={field} value={field}>
                        {fieldLabel(field)}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>
                {liveSettings && patchFields.length > 0 && (
                  <Box data-testid="patch-diff">
                    <DiffTable
                      diff={patchDiff(liveSettings, sentPatch)}
                      fromLabel={`Live now (v${live.data?.settings.version})`}
                      toLabel="After the patch"
                    />
                  </Box>
                )}
              </Flex>
            )}

            <Grid.Root gap={4}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root name="runAtDate" error={errorFor('runAt')}>
                  <Field.Label>Date</Field.Label>
                  <DatePicker
                    value={day}
                    onChange={setDay}
                    onClear={() => setDay(undefined)}
                    clearLabel="Clear the date"
                    minDate={new Date()}
                  />
                  <Field.Error />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root name="runAtTime" hint={`Your time zone: ${zone}`}>
                  <Field.Label>Time</Field.Label>
                  <TimePicker value={time} onChange={setTime} step={15} />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
            </Grid.Root>
            <Typography variant="pi" textColor="neutral600" data-testid="run-at-summary">
              {when ? `Runs ${when.local} — ${when.utc}.` : 'Choose a date and a time.'}
            </Typography>

            <Flex direction="column" alignItems="stretch" gap={2}>
              <Checkbox
                checked={onlyIfLive}
                onCheckedChange={(checked) => setOnlyIfLive(checked === true)}
              >
                Only if live is still version {ifVersion ?? liveVersion} when it runs (skipped
                otherwise)
              </Checkbox>
              {onlyIfLive && (
                <Field.Root
                  name="ifVersion"
                  hint="If anyone publishes in between, the schedule is skipped, visibly, instead of overriding their change."
                  error={errorFor('ifVersion')}
                >
                  <Field.Label>Live version required</Field.Label>
                  <NumberInput value={ifVersion} step={1} onValueChange={setIfVersion} />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>
              )}
            </Flex>

            <Field.Root
              name="note"
              hint={`Stored on the version it makes (${note.length}/${MAX_NOTE_LENGTH})`}
              error={noteTooLong ? `At most ${MAX_NOTE_LENGTH} characters` : errorFor('note')}
            >
              <Field.Label>Note</Field.Label>
              <Textarea
                value={note}
                onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                  setNote(event.target.value)
                }
                placeholder="Why, and for whom? e.g. Launch: maintenance off"
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose} disabled={isSubmitting}>
            Cancel
          </Button>
          <Button
            onClick={submit}
            loading={isSubmitting}
            disabled={isSubmitting || noteTooLong || (kind === 'patch' && patchFields.length === 0)}
          >
            Schedule
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
