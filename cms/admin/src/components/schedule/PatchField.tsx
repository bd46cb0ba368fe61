/** One field of a scheduled patch, edited with the input its type calls for. */
import * as React from 'react';
import {
  Box,
  Field,
  Flex,
  IconButton,
  NumberInput,
  Textarea,
  TextInput,
  Toggle,
} from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { isHexColor } from '../../../../shared/settings-fields';
import { definitionOf } from '../../hooks/useScheduleForm';
import { fieldLabel } from '../../utils/fields';
import { getTranslation } from '../../utils/getTranslation';
import { patchInputKind } from '../../utils/schedules';
import { Swatch } from '../FieldValue';

/** The format itself, the same in every language. */
const HEX_PLACEHOLDER = '#RRGGBB';

interface PatchFieldProps {
  field: string;
  value: unknown;
  error?: string;
  onChange: (value: unknown) => void;
  onRemove: () => void;
}

export const PatchField = ({ field, value, error, onChange, onRemove }: PatchFieldProps) => {
  const { formatMessage } = useIntl();
  const definition = definitionOf(field);
  const label = fieldLabel(field);
  const kind = patchInputKind(definition);
  const text = typeof value === 'string' ? value : '';
  let input: React.ReactNode;
  switch (kind) {
    case 'boolean':
      input = (
        <Toggle
          onLabel={formatMessage({
            id: getTranslation('schedules.patch.on'),
            defaultMessage: 'On',
          })}
          offLabel={formatMessage({
            id: getTranslation('schedules.patch.off'),
            defaultMessage: 'Off',
          })}
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
          placeholder={HEX_PLACEHOLDER}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
          startAction={
            isHexColor(text) ? (
              <Swatch $color={text} data-testid="color-swatch" aria-hidden />
            ) : undefined
          }
          endAction={
            <input
              type="color"
              aria-label={formatMessage(
                { id: getTranslation('schedules.patch.pick'), defaultMessage: 'Pick {field}' },
                { field: label }
              )}
              value={isHexColor(text) ? text.toLowerCase() : '#000000'}
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
        <IconButton
          label={formatMessage(
            {
              id: getTranslation('schedules.patch.remove'),
              defaultMessage: 'Remove {field} from the patch',
            },
            { field: label }
          )}
          variant="ghost"
          onClick={onRemove}
        >
          <Trash />
        </IconButton>
      </Box>
    </Flex>
  );
};
