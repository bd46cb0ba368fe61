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
import { Link as RouterLink } from 'react-router-dom';
import { HistoryTable } from '../components/HistoryTable';
import { SchedulesPanel } from '../components/SchedulesPanel';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useVersionActions } from '../hooks/useVersionActions';
import { PERMISSIONS } from '../permissions';
import { SETTINGS_UID } from '../pluginId';
import { useListHistoryQuery } from '../services/api';

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
        <Page.Title>Settings history</Page.Title>
        <Layouts.Header title="Settings history" />
        <Layouts.Content>
          <EmptyStateLayout
            content={`The history could not be loaded: ${errorMessage(history.error)}`}
            action={
              <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={reload}>
                Try again
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
      <Page.Title>Settings history</Page.Title>
      <Layouts.Header
        title="Settings history"
        subtitle={
          pinnedOnly
            ? `${pagination.total} pinned version${pagination.total === 1 ? '' : 's'} · version ${liveVersion} is live`
            : `${pagination.total} version${pagination.total === 1 ? '' : 's'} · version ${liveVersion} is live`
        }
        primaryAction={
          contentManager.canUpdate && (
            <Button
              tag={RouterLink}
              to={`/content-manager/single-types/${SETTINGS_UID}`}
              startIcon={<Pencil />}
              variant="secondary"
            >
              Edit settings
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
            Pinned versions only
          </Checkbox>
        }
        endActions={
          <Flex gap={2} alignItems="center">
            {history.isFetching && <Loader small>Loading</Loader>}
            <Button variant="tertiary" startIcon={<ArrowClockwise />} onClick={reload}>
              Refresh
            </Button>
          </Flex>
        }
      />
      <Layouts.Content>
        {history.error ? (
          <Box paddingBottom={4}>
            <Typography textColor="danger600">
              Could not refresh the history: {errorMessage(history.error)}
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
                ? 'No pinned versions yet. Pin a known-good version from the table to find it here.'
                : 'No versions on this page.'
            }
            action={
              pinnedOnly || page > 1 ? (
                <Button
                  variant="secondary"
                  onClick={() => setQuery({ pinned: undefined, page: '1' })}
                >
                  Show all versions
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
