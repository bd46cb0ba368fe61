/** What a schedule does: publish the draft, roll back to a version (which), or a patch (the settings only). */
import { Field, NumberInput, Radio, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ScheduleForm, ScheduleKind } from '../../hooks/useScheduleForm';
import { getTranslation } from '../../utils/getTranslation';

export const KindField = ({ form, liveVersion }: { form: ScheduleForm; liveVersion: number }) => {
  const { formatMessage } = useIntl();
  const label = formatMessage({
    id: getTranslation('schedules.dialog.kind.label'),
    defaultMessage: 'What happens',
  });
  return (
    <>
      <Field.Root name="kind" error={form.errorFor('kind')}>
        <Field.Label>{label}</Field.Label>
        <Radio.Group
          aria-label={label}
          value={form.kind}
          onValueChange={(value) => form.setKind(value as ScheduleKind)}
        >
          <Radio.Item value="publish">
            {formatMessage({
              id: getTranslation('schedules.dialog.kind.publish'),
              defaultMessage: 'Publish the current draft',
            })}
          </Radio.Item>
          <Radio.Item value="rollback">
            {formatMessage({
              id: getTranslation('schedules.dialog.kind.rollback'),
              defaultMessage: 'Roll back to a version',
            })}
          </Radio.Item>
          {form.canPatch && (
            <Radio.Item value="patch">
              {formatMessage({
                id: getTranslation('schedules.dialog.kind.patch'),
                defaultMessage: 'Set some fields (a patch on whatever is live then)',
              })}
            </Radio.Item>
          )}
        </Radio.Group>
        <Field.Error />
      </Field.Root>

      {form.kind === 'publish' && (
        <Typography textColor="neutral600">
          {formatMessage({
            id: getTranslation('schedules.dialog.publish.explanation'),
            defaultMessage:
              'The draft as it stands at that time is published as a new version. Until then, the panel shows what it would change.',
          })}
        </Typography>
      )}

      {form.kind === 'rollback' && (
        <Field.Root
          name="targetVersion"
          hint={formatMessage(
            {
              id: getTranslation('schedules.dialog.targetVersion.hint'),
              defaultMessage: 'A version from the history (live is version {version}).',
            },
            { version: liveVersion }
          )}
          error={form.errorFor('targetVersion')}
        >
          <Field.Label>
            {formatMessage({
              id: getTranslation('schedules.dialog.targetVersion.label'),
              defaultMessage: 'Version to restore',
            })}
          </Field.Label>
          <NumberInput value={form.targetVersion} step={1} onValueChange={form.setTargetVersion} />
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      )}
    </>
  );
};
