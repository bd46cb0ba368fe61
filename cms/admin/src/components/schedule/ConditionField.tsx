/** "Only if live is still version N when it runs": skipped, visibly, if anyone published since. */
import { Checkbox, Field, Flex, NumberInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ScheduleForm } from '../../hooks/useScheduleForm';
import { getTranslation } from '../../utils/getTranslation';

export const ConditionField = ({
  form,
  liveVersion,
}: {
  form: ScheduleForm;
  liveVersion: number;
}) => {
  const { formatMessage } = useIntl();
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Checkbox
        checked={form.onlyIfLive}
        onCheckedChange={(checked) => form.setOnlyIfLive(checked === true)}
      >
        {formatMessage(
          {
            id: getTranslation('schedules.dialog.condition.label'),
            defaultMessage:
              'Only if live is still version {version} when it runs (skipped otherwise)',
          },
          { version: form.ifVersion ?? liveVersion }
        )}
      </Checkbox>
      {form.onlyIfLive && (
        <Field.Root
          name="ifVersion"
          hint={formatMessage({
            id: getTranslation('schedules.dialog.ifVersion.hint'),
            defaultMessage:
              'If anyone publishes in between, the schedule is skipped, visibly, instead of overriding their change.',
          })}
          error={form.errorFor('ifVersion')}
        >
          <Field.Label>
            {formatMessage({
              id: getTranslation('schedules.dialog.ifVersion.label'),
              defaultMessage: 'Live version required',
            })}
          </Field.Label>
          <NumberInput value={form.ifVersion} step={1} onValueChange={form.setIfVersion} />
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      )}
    </Flex>
  );
};
