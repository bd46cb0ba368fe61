/** Which versioned type's history the page shows: the settings or one of the host app's types. */
import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { VersionedTypeSummary } from '../../../shared/contracts/settings';
import { typeName } from '../hooks/useCurrentType';
import { getTranslation } from '../utils/getTranslation';

interface TypePickerProps {
  types: VersionedTypeSummary[];
  value: string;
  onChange: (key: string) => void;
}

export const TypePicker = ({ types, value, onChange }: TypePickerProps) => {
  const intl = useIntl();
  return (
    <Field.Root name="versioned-type" width="24rem">
      <Field.Label>
        {intl.formatMessage({ id: getTranslation('types.label'), defaultMessage: 'History of' })}
      </Field.Label>
      <SingleSelect value={value} onChange={(key) => onChange(String(key))}>
        {types.map((type) => (
          <SingleSelectOption key={type.key} value={type.key}>
            {typeName(type, intl)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Field.Root>
  );
};
