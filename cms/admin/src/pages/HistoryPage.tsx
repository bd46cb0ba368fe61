/**
 * The history of one versioned type ("Settings history", "Home page history"):
 * every version, newest first, a page at a time from the server (the history can
 * hold tens of thousands of versions), a picker for the other types this admin
 * may read, the type's scheduled changes, a check of the whole signed chain, and
 * previews on the site (each version, and the type's draft) for every type.
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
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { HistoryTable } from '../components/HistoryTable';
import { SchedulesPanel } from '../components/SchedulesPanel';
import { TypePicker } from '../components/TypePicker';
import { VerifyButton, VerifyReportAlert, useVerifyHistory } from '../components/VerifyHistory';
import { PreviewOnSiteButton } from '../components/PreviewOnSiteButton';
import { typeName, useCanRollback, useCurrentType } from '../hooks/useCurrentType';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useVersionActions } from '../hooks/useVersionActions';
import { useListHistoryQuery } from '../services/api';
import { getTranslation } from '../utils/getTranslation';
import { historyPath } from '../utils/paths';

const DEFAULT_PAGE_SIZE = 25;
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

/** "Settings history" for the settings, as the menu says; "Home page history" for the others. */
const useHistoryTitle = () => {
  const intl = useIntl();
  const { type, isSettings } = useCurrentType();
  return isSettings
    ? intl.formatMessage({
        id: getTranslation('history.title'),
        defaultMessage: 'Settings history',
      })
    : intl.formatMessage(
        { id: getTranslation('history.typeTitle'), defaultMessage: '{type} history' },
        { type: typeName(type, intl) }
      );
};

export const HistoryPage = () => {
  const errorMessage = useErrorMessage();
  const intl = useIntl();
  const { formatMessage } = intl;
  const navigate = useNavigate();
  const { type, types, isSettings } = useCurrentType();
  const title = useHistoryTitle();
  const canRollback = useCanRollback(type);
  // "Edit" only for roles that may edit the type in the Content Manager.
  const editPermissions = React.useMemo(
    () => [{ action: 'plugin::content-manager.explorer.update', subject: type.uid }],
    [type.uid]
  );
  const { allowedActions: contentManager } = useRBAC(editPermissions);
  const [{ query }, setQuery] = useQueryParams<HistoryQuery>();
  const page = positive(query.page, 1);
  const pageSize = Math.min(positive(query.pageSize, DEFAULT_PAGE_SIZE), 100);
  const pinnedOnly = query.pinned === 'true';

  const history = useListHistoryQuery({
    type: type.key,
    page,
    pageSize,
    ...(pinnedOnly ? { pinned: true } : {}),
  });
  // Tags refresh what a rollback or a pin changed; nothing to do here afterwards.
  const actions = useVersionActions(type.key);
  const verify = useVerifyHistory(type.key);
  const reload = () => void history.refetch();

  if (history.isLoading) return <Page.Loading />;
  if (!history.data) {
    return (
      <Page.Main>
        <Page.Title>{title}</Page.Title>
        <Layouts.Header title={title} />
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
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
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
              to={`/content-manager/single-types/${type.uid}`}
              startIcon={<Pencil />}
              variant="secondary"
            >
              {isSettings
                ? formatMessage({
                    id: getTranslation('history.editSettings'),
                    defaultMessage: 'Edit settings',
                  })
                : formatMessage(
                    { id: getTranslation('history.editType'), defaultMessage: 'Edit {type}' },
                    { type: typeName(type, intl) }
                  )}
            </Button>
          )
        }
      />
      <Layouts.Action
        startActions={
          <Flex gap={4} alignItems="center" wrap="wrap">
            {types.length > 1 && (
              <TypePicker
                types={types}
                value={type.key}
                // A type's own first page: its page numbers and pins are not the other's.
                onChange={(key) => navigate(historyPath(key))}
              />
            )}
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
          </Flex>
        }
        endActions={
          <Flex gap={2} alignItems="center">
            {/* The settings' draft is previewed from the Content Manager's own preview. */}
            {!isSettings && <PreviewOnSiteButton typeKey={type.key} />}
            <VerifyButton verify={verify} />
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
        <VerifyReportAlert verify={verify} />
        <Box paddingBottom={4}>
          {/* Keyed by type: a type's pending schedules and dialogs are not another's. */}
          <SchedulesPanel key={type.key} liveVersion={liveVersion} />
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
              type={type.key}
              entries={entries}
              liveVersion={liveVersion}
              canPreview
              canRollback={canRollback}
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
