/** The fields a scheduled patch sets, a picker to add one, and what it would change now. */
import { Box, Field, Flex, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ScheduleForm } from '../../hooks/useScheduleForm';
import { fieldLabel } from '../../utils/fields';
import { getTranslation } from '../../utils/getTranslation';
import { patchDiff } from '../../utils/schedules';
import { DiffTable } from '../DiffTable';
import { PatchField } from './PatchField';

export const PatchFields = ({ form }: { form: ScheduleForm }) => {
  const { formatMessage } = useIntl();
  const { patch, patchFields, patchActions, addableFields, liveSettings, sentPatch, errorFor } =
    form;
  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="patch-fields">
      {patchFields.map((field) => (
        <PatchField
          key={field}
          field={field}
          value={patch[field]}
          error={errorFor(`data.${field}`)}
          onChange={(value) => patchActions.set(field, value)}
          onRemove={() => patchActions.remove(field)}
        />
      ))}
      <Field.Root
        name="addField"
        hint={
          patchFields.length === 0
            ? formatMessage({
                id: getTranslation('schedules.patch.add.hint'),
                defaultMessage:
                  'Pick each field the change sets; the others keep whatever is live then.',
              })
            : undefined
        }
        error={errorFor('data')}
      >
        <Field.Label>
          {formatMessage({
            id: getTranslation('schedules.patch.add.label'),
            defaultMessage: 'Add a field to set',
          })}
        </Field.Label>
        <SingleSelect
          placeholder={formatMessage({
            id: getTranslation('schedules.patch.add.placeholder'),
            defaultMessage: 'Choose a field',
          })}
          value={null}
          disabled={!liveSettings || addableFields.length === 0}
          onChange={(value) => patchActions.add(String(value))}
        >
          {addableFields.map((field) => (
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
            fromLabel={formatMessage(
              {
                id: getTranslation('schedules.diff.liveNow'),
                defaultMessage: 'Live now (v{version})',
              },
              { version: form.liveNow }
            )}
            toLabel={formatMessage({
              id: getTranslation('schedules.patch.after'),
              defaultMessage: 'After the patch',
            })}
          />
        </Box>
      )}
    </Flex>
  );
};
