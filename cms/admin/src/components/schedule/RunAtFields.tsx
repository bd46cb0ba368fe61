/** When a schedule runs: a date and a time in the admin's zone, named, with the UTC time. */
import { DatePicker, Field, Grid, TimePicker, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ScheduleForm } from '../../hooks/useScheduleForm';
import { getTranslation } from '../../utils/getTranslation';
import { describeTime, zoneOffset } from '../../utils/schedules';

export const RunAtFields = ({ form }: { form: ScheduleForm }) => {
  const { formatMessage, locale } = useIntl();
  const { runAt, timeZone } = form;
  const when = runAt ? describeTime(runAt.toISOString(), timeZone, locale) : undefined;
  const zone = `${timeZone} (${zoneOffset(runAt ?? form.start, timeZone, locale)})`;
  return (
    <>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="runAtDate" error={form.errorFor('runAt')}>
            <Field.Label>
              {formatMessage({
                id: getTranslation('schedules.dialog.date.label'),
                defaultMessage: 'Date',
              })}
            </Field.Label>
            <DatePicker
              value={form.day}
              onChange={form.setDay}
              onClear={() => form.setDay(undefined)}
              clearLabel={formatMessage({
                id: getTranslation('schedules.dialog.date.clear'),
                defaultMessage: 'Clear the date',
              })}
              minDate={new Date()}
              locale={locale}
            />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            name="runAtTime"
            hint={formatMessage(
              {
                id: getTranslation('schedules.dialog.time.hint'),
                defaultMessage: 'Your time zone: {zone}',
              },
              { zone }
            )}
          >
            <Field.Label>
              {formatMessage({
                id: getTranslation('schedules.dialog.time.label'),
                defaultMessage: 'Time',
              })}
            </Field.Label>
            <TimePicker value={form.time} onChange={form.setTime} step={15} />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
      <Typography variant="pi" textColor="neutral600" data-testid="run-at-summary">
        {when
          ? formatMessage(
              {
                id: getTranslation('schedules.dialog.runAt.summary'),
                defaultMessage: 'Runs {local} — {utc}.',
              },
              when
            )
          : formatMessage({
              id: getTranslation('schedules.dialog.runAt.missing'),
              defaultMessage: 'Choose a date and a time.',
            })}
      </Typography>
    </>
  );
};
