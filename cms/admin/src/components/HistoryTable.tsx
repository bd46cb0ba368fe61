/** One page of versions, newest first. */
import {
  Flex,
  IconButton,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ArrowsCounterClockwise, Eye, Pin } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import { authorName, formatDate } from '../utils/format';
import { getTranslation } from '../utils/getTranslation';
import { historyPath } from '../utils/paths';
import { ChangedFields, ChangeTypeBadge, LiveBadge, PinMarker } from './ChangeSummary';
import { PreviewOnSiteButton } from './PreviewOnSiteButton';

interface HistoryTableProps {
  /** The key of the type whose versions these are. */
  type: string;
  entries: HistoryEntry[];
  liveVersion: number;
  /** Whether a preview site is worth offering for this type's versions. */
  canPreview: boolean;
  canRollback: boolean;
  onRollback: (entry: HistoryEntry) => void;
  onPin: (entry: HistoryEntry) => void;
  onUnpin: (entry: HistoryEntry) => void;
}

const HEADERS = [
  { id: getTranslation('history.column.version'), defaultMessage: 'Version' },
  { id: getTranslation('history.column.date'), defaultMessage: 'Date' },
  { id: getTranslation('history.column.author'), defaultMessage: 'Author' },
  { id: getTranslation('history.column.change'), defaultMessage: 'Change' },
  { id: getTranslation('history.column.changedFields'), defaultMessage: 'Changed fields' },
  { id: getTranslation('history.column.note'), defaultMessage: 'Note' },
];

export const HistoryTable = ({
  type,
  entries,
  liveVersion,
  canPreview,
  canRollback,
  onRollback,
  onPin,
  onUnpin,
}: HistoryTableProps) => {
  const intl = useIntl();
  const { formatMessage } = intl;
  return (
    <Table colCount={HEADERS.length + 1} rowCount={entries.length + 1}>
      <Thead>
        <Tr>
          {HEADERS.map((header) => (
            <Th key={header.id}>
              <Typography variant="sigma">{formatMessage(header)}</Typography>
            </Th>
          ))}
          <Th>
            <VisuallyHidden>
              {formatMessage({
                id: getTranslation('history.column.actions'),
                defaultMessage: 'Actions',
              })}
            </VisuallyHidden>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {entries.map((entry) => {
          const isLive = entry.version === liveVersion;
          return (
            <Tr key={entry.version} data-version={entry.version} aria-current={isLive || undefined}>
              <Td>
                <Flex gap={2} alignItems="center">
                  <Link tag={RouterLink} to={historyPath(type, entry.version)}>
                    {formatMessage(
                      { id: getTranslation('version.short'), defaultMessage: 'v{version}' },
                      { version: entry.version }
                    )}
                  </Link>
                  {isLive && <LiveBadge />}
                  {entry.pinned && <PinMarker label={entry.pinLabel} />}
                </Flex>
              </Td>
              <Td>
                <Typography textColor="neutral800">{formatDate(entry.createdAt, intl)}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{authorName(entry.author, intl)}</Typography>
              </Td>
              <Td>
                <ChangeTypeBadge entry={entry} />
              </Td>
              <Td style={{ whiteSpace: 'normal', maxWidth: '32rem' }}>
                <ChangedFields fields={entry.changedFields} />
              </Td>
              <Td>
                <Typography textColor="neutral600" ellipsis style={{ maxWidth: '20rem' }}>
                  {entry.note ?? ''}
                </Typography>
              </Td>
              <Td>
                <Flex gap={1} justifyContent="flex-end">
                  <IconButton
                    tag={RouterLink}
                    to={historyPath(type, entry.version)}
                    label={formatMessage(
                      {
                        id: getTranslation('history.action.view'),
                        defaultMessage: 'View version {version}',
                      },
                      { version: entry.version }
                    )}
                    variant="ghost"
                  >
                    <Eye />
                  </IconButton>
                  {canPreview && (
                    <PreviewOnSiteButton typeKey={type} version={entry.version} compact />
                  )}
                  {canRollback && (
                    <IconButton
                      label={
                        entry.pinned
                          ? formatMessage(
                              {
                                id: getTranslation('history.action.unpin'),
                                defaultMessage: 'Unpin version {version}',
                              },
                              { version: entry.version }
                            )
                          : formatMessage(
                              {
                                id: getTranslation('history.action.pin'),
                                defaultMessage: 'Pin version {version}',
                              },
                              { version: entry.version }
                            )
                      }
                      variant="ghost"
                      onClick={() => (entry.pinned ? onUnpin(entry) : onPin(entry))}
                    >
                      <Pin fill={entry.pinned ? 'primary600' : undefined} />
                    </IconButton>
                  )}
                  {canRollback && !isLive && (
                    <IconButton
                      label={formatMessage(
                        {
                          id: getTranslation('history.action.rollback'),
                          defaultMessage: 'Roll back to version {version}',
                        },
                        { version: entry.version }
                      )}
                      variant="ghost"
                      onClick={() => onRollback(entry)}
                    >
                      <ArrowsCounterClockwise />
                    </IconButton>
                  )}
                </Flex>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
