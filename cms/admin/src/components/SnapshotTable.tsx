/** Every field of one version, as it was right after that change. */
import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { fieldLabel } from '../utils/fields';
import { getTranslation } from '../utils/getTranslation';
import { FieldValue } from './FieldValue';
import { Cell, TOP, WRAP } from './TableCell';

export const SnapshotTable = ({
  data,
  changedFields,
}: {
  data: Record<string, unknown>;
  changedFields: string[];
}) => {
  const fields = Object.keys(data);
  const { formatMessage } = useIntl();
  return (
    <Table colCount={2} rowCount={fields.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">
              {formatMessage({ id: getTranslation('diff.column.field'), defaultMessage: 'Field' })}
            </Typography>
          </Th>
          <Th>
            <Typography variant="sigma">
              {formatMessage({
                id: getTranslation('snapshot.column.value'),
                defaultMessage: 'Value',
              })}
            </Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {fields.map((field) => (
          <Tr key={field} data-field={field}>
            <Td style={{ ...TOP, width: '30%' }}>
              <Cell>
                <Typography fontWeight={changedFields.includes(field) ? 'bold' : 'regular'}>
                  {fieldLabel(field)}
                </Typography>
                {changedFields.includes(field) && (
                  <Typography variant="pi" textColor="primary600">
                    {formatMessage({
                      id: getTranslation('snapshot.changedHere'),
                      defaultMessage: ' · changed in this version',
                    })}
                  </Typography>
                )}
              </Cell>
            </Td>
            <Td style={WRAP}>
              <Cell>
                <FieldValue value={data[field]} />
              </Cell>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
