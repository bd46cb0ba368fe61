/** Field-by-field differences between two versions: old on the left, new on the right. */
import { Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowRight } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { FieldDiff } from '../../../shared/contracts/settings';
import { fieldLabel, textChange } from '../utils/fields';
import { getTranslation } from '../utils/getTranslation';
import { changedPaths, isNested } from '../utils/nested';
import { FieldValue } from './FieldValue';
import { Cell, TOP, WRAP } from './TableCell';

interface DiffTableProps {
  diff: FieldDiff[];
  fromLabel: string;
  toLabel: string;
  /** What both versions hold the same of, when nothing differs: the settings' wording by default. */
  emptyMessage?: string;
}

/** Text on both sides: highlight what changed instead of making people spot it. */
const textParts = ({ from, to }: FieldDiff) =>
  typeof from === 'string' && typeof to === 'string' && from !== '' && to !== ''
    ? textChange(from, to)
    : undefined;

/** A component or a list on either side: which of its parts changed. */
const nestedParts = ({ from, to }: FieldDiff) =>
  isNested(from) || isNested(to) ? new Set(changedPaths(from, to)) : undefined;

export const DiffTable = ({ diff, fromLabel, toLabel, emptyMessage }: DiffTableProps) => {
  const { formatMessage } = useIntl();
  if (diff.length === 0) {
    return (
      <Box padding={4} background="neutral100" hasRadius>
        <Typography textColor="neutral600">
          {emptyMessage ??
            formatMessage({
              id: getTranslation('diff.empty'),
              defaultMessage: 'No differences: both versions hold the same settings.',
            })}
        </Typography>
      </Box>
    );
  }
  return (
    <Table colCount={4} rowCount={diff.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">
              {formatMessage({ id: getTranslation('diff.column.field'), defaultMessage: 'Field' })}
            </Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{fromLabel}</Typography>
          </Th>
          <Th>
            <span aria-hidden />
          </Th>
          <Th>
            <Typography variant="sigma">{toLabel}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {diff.map((change) => {
          const parts = textParts(change);
          const paths = nestedParts(change);
          return (
            <Tr key={change.field} data-field={change.field}>
              <Td style={TOP}>
                <Cell>
                  <Typography fontWeight="semiBold">{fieldLabel(change.field)}</Typography>
                  <Typography tag="div" variant="pi" textColor="neutral500">
                    {change.field}
                  </Typography>
                </Cell>
              </Td>
              <Td style={WRAP} data-side="before">
                <Cell>
                  <FieldValue
                    value={change.from}
                    change={parts && { parts, side: 'before' }}
                    nestedChange={paths && { paths, side: 'before' }}
                  />
                </Cell>
              </Td>
              <Td style={TOP}>
                <Cell>
                  <ArrowRight
                    aria-label={formatMessage({
                      id: getTranslation('diff.changedTo'),
                      defaultMessage: 'changed to',
                    })}
                    fill="neutral500"
                  />
                </Cell>
              </Td>
              <Td style={WRAP} data-side="after">
                <Cell>
                  <FieldValue
                    value={change.to}
                    change={parts && { parts, side: 'after' }}
                    nestedChange={paths && { paths, side: 'after' }}
                  />
                </Cell>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
