/**
 * "Settings history": every version, newest first, a page at a time from the
 * server (the history can hold tens of thousands of versions).
 */
import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  EmptyStateLayout,
  Flex,
  Loader,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, Pencil } from '@strapi/icons';
import { Layouts, Page, Pagination, useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import { HistoryTable } from '../components/HistoryTable';
import { SchedulesPanel } from '../components/SchedulesPanel';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useVersionActions } from '../hooks/useVersionActions';
import { PERMISSIONS } from '../permissions';
import { SETTINGS_UID } from '../pluginId';
import { useListHistoryQuery } from '../services/api';
import { getTranslation } from '../utils/getTranslation';

const DEFAULT_PAGE_SIZE = 25;
const EDIT_SETTINGS = [
  { action: 'plugin::content-manager.explorer.update', subject: SETTINGS_UID },
];
const PAGE_SIZES = ['10', '25', '50', '100'];

interface HistoryQuery {
  page?: string;
  pageSize?: string;
  pinned?: string;
}

const positive = (raw: string | undefined, fallback: number) => {
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

export const HistoryPage = () => {
  const errorMessage = useErrorMessage();
  const { formatMessage } = useIntl();
  const { allowedActions } = useRBAC(PERMISSIONS.rollback);
  // "Edit settings" only for roles that may edit them in the Content Manager.
  const { allowedActions: contentManager } = useRBAC(EDIT_SETTINGS);
  const [{ query }, setQuery] = useQueryParams<HistoryQuery>();
  const page = positive(query.page, 1);
  const pageSize = Math.min(positive(query.pageSize, DEFAULT_PAGE_SIZE), 100);
  const pinnedOnly = query.pinned === 'true';

  const history = useListHistoryQuery({ page, pageSize, ...(pinnedOnly ? { pinned: true } : {}) });
  // Tags refresh what a rollback or a pin changed; nothing to do here afterwards.
  const actions = useVersionActions();
  const reload = () => void history.refetch();

  if (history.isLoading) return <Page.Loading />;
  if (!history.data) {
    return (
      <Page.Main>
        <Page.Title>
          {formatMessage({
            id: getTranslation('history.title'),
            defaultMessage: 'Settings history',
          })}
        </Page.Title>
        <Layouts.Header
          title={formatMessage({
            id: getTranslation('history.title'),
            defaultMessage: 'Settings history',
          })}
        />
        <Layouts.Content>
          <EmptyStateLayout
            content={formatMessage(
              {
                id: getTranslation('history.loadFailed'),
                defaultMessage: 'The history could not be loaded: {error}',
              },
              { error: errorMessage(history.error) }
            )}
            action={
              <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={reload}>
                {formatMessage({
                  id: getTranslation('history.retry'),
                  defaultMessage: 'Try again',
                })}
              </Button>
            }
          />
        </Layouts.Content>
      </Page.Main>
    );
  }

  const { data: entries, meta } = history.data;
  const { pagination, liveVersion } = meta;

  return (
    <Page.Main aria-busy={history.isFetching}>
      <Page.Title>
        {formatMessage({ id: getTranslation('history.title'), defaultMessage: 'Settings history' })}
      </Page.Title>
      <Layouts.Header
        title={formatMessage({
          id: getTranslation('history.title'),
          defaultMessage: 'Settings history',
        })}
        subtitle={
          pinnedOnly
            ? formatMessage(
                {
                  id: getTranslation('history.subtitle.pinned'),
                  defaultMessage:
                    '{count, plural, one {# pinned version} other {# pinned versions}} · version {liveVersion} is live',
                },
                { count: pagination.total, liveVersion }
              )
            : formatMessage(
                {
                  id: getTranslation('history.subtitle'),
                  defaultMessage:
                    '{count, plural, one {# version} other {# versions}} · version {liveVersion} is live',
                },
                { count: pagination.total, liveVersion }
              )
        }
        primaryAction={
          contentManager.canUpdate && (
            <Button
              tag={RouterLink}
              to={`/content-manager/single-types/${SETTINGS_UID}`}
              startIcon={<Pencil />}
              variant="secondary"
            >
              {formatMessage({
                id: getTranslation('history.editSettings'),
                defaultMessage: 'Edit settings',
              })}
            </Button>
          )
        }
      />
      <Layouts.Action
        startActions={
          <Checkbox
            checked={pinnedOnly}
            onCheckedChange={(checked) =>
              checked
                ? setQuery({ pinned: 'true', page: '1' })
                : setQuery({ pinned: undefined, page: '1' })
            }
          >
            {formatMessage({
              id: getTranslation('history.pinnedOnly'),
              defaultMessage: 'Pinned versions only',
            })}
          </Checkbox>
        }
        endActions={
          <Flex gap={2} alignItems="center">
            {history.isFetching && (
              <Loader small>
                {formatMessage({
                  id: getTranslation('history.loading'),
                  defaultMessage: 'Loading',
                })}
              </Loader>
            )}
            <Button variant="tertiary" startIcon={<ArrowClockwise />} onClick={reload}>
              {formatMessage({ id: getTranslation('history.refresh'), defaultMessage: 'Refresh' })}
            </Button>
          </Flex>
        }
      />
      <Layouts.Content>
        {history.error ? (
          <Box paddingBottom={4}>
            <Typography textColor="danger600">
              {formatMessage(
                {
                  id: getTranslation('history.refreshFailed'),
                  defaultMessage: 'Could not refresh the history: {error}',
                },
                { error: errorMessage(history.error) }
              )}
            </Typography>
          </Box>
        ) : null}
        <Box paddingBottom={4}>
          <SchedulesPanel liveVersion={liveVersion} />
        </Box>
        {entries.length === 0 ? (
          <EmptyStateLayout
            content={
              pinnedOnly
                ? formatMessage({
                    id: getTranslation('history.empty.pinned'),
                    defaultMessage:
                      'No pinned versions yet. Pin a known-good version from the table to find it here.',
                  })
                : formatMessage({
                    id: getTranslation('history.empty'),
                    defaultMessage: 'No versions on this page.',
                  })
            }
            action={
              pinnedOnly || page > 1 ? (
                <Button
                  variant="secondary"
                  onClick={() => setQuery({ pinned: undefined, page: '1' })}
                >
                  {formatMessage({
                    id: getTranslation('history.showAll'),
                    defaultMessage: 'Show all versions',
                  })}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Flex direction="column" alignItems="stretch" gap={4}>
            <HistoryTable
              entries={entries}
              liveVersion={liveVersion}
              canRollback={Boolean(allowedActions.canRollback)}
              onRollback={(entry) => actions.startRollback(entry.version)}
              onPin={(entry) => actions.startPin(entry.version)}
              onUnpin={(entry) => actions.unpin(entry.version)}
            />
            <Pagination.Root
              pageCount={pagination.pageCount}
              total={pagination.total}
              defaultPageSize={DEFAULT_PAGE_SIZE}
            >
              <Pagination.PageSize options={PAGE_SIZES} />
              <Pagination.Links />
            </Pagination.Root>
          </Flex>
        )}
      </Layouts.Content>
      {actions.dialogs}
    </Page.Main>
  );
};
