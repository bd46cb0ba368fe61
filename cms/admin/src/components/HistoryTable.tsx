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
import { Link as RouterLink } from 'react-router-dom';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import { HISTORY_PATH } from '../pluginId';
import { authorName, formatDate } from '../utils/format';
import { ChangedFields, ChangeTypeBadge, LiveBadge, PinMarker } from './ChangeSummary';
import { PreviewOnSiteButton } from './PreviewOnSiteButton';

interface HistoryTableProps {
  entries: HistoryEntry[];
  liveVersion: number;
  canRollback: boolean;
  onRollback: (entry: HistoryEntry) => void;
  onPin: (entry: HistoryEntry) => void;
  onUnpin: (entry: HistoryEntry) => void;
}

const HEADERS = ['Version', 'Date', 'Author', 'Change', 'Changed fields', 'Note'];

export const HistoryTable = ({
  entries,
  liveVersion,
  canRollback,
  onRollback,
  onPin,
  onUnpin,
}: HistoryTableProps) => (
  <Table colCount={HEADERS.length + 1} rowCount={entries.length + 1}>
    <Thead>
      <Tr>
        {HEADERS.map((header) => (
          <Th key={header}>
            <Typography variant="sigma">{header}</Typography>
          </Th>
        ))}
        <Th>
          <VisuallyHidden>Actions</VisuallyHidden>
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
                <Link tag={RouterLink} to={`${HISTORY_PATH}/${entry.version}`}>
                  v{entry.version}
                </Link>
                {isLive && <LiveBadge />}
                {entry.pinned && <PinMarker label={entry.pinLabel} />}
              </Flex>
            </Td>
            <Td>
              <Typography textColor="neutral800">{formatDate(entry.createdAt)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{authorName(entry.author)}</Typography>
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
                  to={`${HISTORY_PATH}/${entry.version}`}
                  label={`View version ${entry.version}`}
                  variant="ghost"
                >
                  <Eye />
                </IconButton>
                <PreviewOnSiteButton version={entry.version} compact />
                {canRollback && (
                  <IconButton
                    label={
                      entry.pinned
                        ? `Unpin version ${entry.version}`
                        : `Pin version ${entry.version}`
                    }
                    variant="ghost"
                    onClick={() => (entry.pinned ? onUnpin(entry) : onPin(entry))}
                  >
                    <Pin fill={entry.pinned ? 'primary600' : undefined} />
                  </IconButton>
                )}
                {canRollback && !isLive && (
                  <IconButton
                    label={`Roll back to version ${entry.version}`}
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
