/**
 * The dialog sends what the server's `validate` expects, to the schedules of the type the
 * page shows, and shows its 422 field errors under the inputs.
 */
import { beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DesignSystemProvider } from '@strapi/design-system';
import { configureStore } from '@reduxjs/toolkit';
import { createApi, type BaseQueryFn } from '@reduxjs/toolkit/query/react';
import { IntlProvider } from 'react-intl';
import { Provider } from 'react-redux';
import type * as Dialog from './ScheduleDialog';
import type * as CurrentType from '../hooks/useCurrentType';
import type { VersionedTypeSummary } from '../../../shared/contracts/settings';

interface Request {
  url: string;
  method?: string;
  data?: unknown;
}
/** The server's answer to `POST /platform-settings/types/<key>/schedules`: `{ data }` or `{ error }`. */
type Answer = { data: unknown; error?: undefined } | { error: unknown; data?: undefined };
const createSchedule = jest.fn<(body: unknown, type: string) => Answer>();

/**
 * Strapi's `adminApi`, with a base query that answers like the plugin's admin API: the
 * dialog's real endpoints (services/api.ts) run on a real RTK Query store.
 */
const answer: BaseQueryFn<string | Request, unknown, unknown> = (request) => {
  const { url, method = 'GET', data } = typeof request === 'string' ? { url: request } : request;
  if (url === '/platform-settings/live' && method === 'GET') {
    return {
      data: { data: { settings: { version: 4, maintenanceMode: false }, lastChange: null } },
    };
  }
  const scheduled = /^\/platform-settings\/types\/([a-z-]+)\/schedules$/.exec(url);
  if (scheduled && method === 'POST') return createSchedule(data, scheduled[1]);
  return { error: { status: 404, name: 'NotFoundError', message: `${method} ${url}` } };
};
jest.mock('@strapi/strapi/admin', () => ({
  adminApi: createApi({ reducerPath: 'adminApi', baseQuery: answer, endpoints: () => ({}) }),
  useNotification: () => ({ toggleNotification: () => undefined }),
}));
jest.mock('../hooks/useErrorMessage', () => ({
  useErrorMessage: () => (error: Error) => error.message,
}));

// Loaded after the mocks above (the admin app itself cannot load under jsdom).
let ScheduleDialog: typeof Dialog.ScheduleDialog;
let CurrentTypeProvider: typeof CurrentType.CurrentTypeProvider;
let adminApi: ReturnType<typeof createApi>;
beforeAll(async () => {
  ({ ScheduleDialog } = await import('./ScheduleDialog'));
  ({ CurrentTypeProvider } = await import('../hooks/useCurrentType'));
  ({ adminApi } = (await import('@strapi/strapi/admin')) as unknown as {
    adminApi: ReturnType<typeof createApi>;
  });
});

const unprocessable = (errors: { path: string[]; message: string }[]) => ({
  error: { status: 422, name: 'ValidationError', message: 'Invalid schedule', details: { errors } },
});

const typeSummary = (key: string): VersionedTypeSummary => ({
  key,
  uid: key,
  displayName: key,
  publicPath: `/api/${key}`,
  actions: { read: `${key}.read`, rollback: `${key}.rollback`, schedule: `${key}.schedule` },
});

const renderDialog = (
  props: Partial<React.ComponentProps<typeof Dialog.ScheduleDialog>> = {},
  type = typeSummary('settings')
) => {
  const store = configureStore({
    reducer: { [adminApi.reducerPath]: adminApi.reducer },
    middleware: (defaults) => defaults().concat(adminApi.middleware),
  });
  return render(
    <Provider store={store}>
      <IntlProvider locale="en" messages={{}} onError={() => undefined}>
        <DesignSystemProvider locale="en">
          <CurrentTypeProvider type={type} types={[type]}>
            <ScheduleDialog
              liveVersion={4}
              onClose={() => undefined}
              onCreated={() => undefined}
              {...props}
            />
          </CurrentTypeProvider>
        </DesignSystemProvider>
      </IntlProvider>
    </Provider>
  );
};

beforeEach(() => {
  createSchedule.mockReset();
});

describe('ScheduleDialog', () => {
  it('publishes the draft by default, at the proposed time, with the note', async () => {
    createSchedule.mockReturnValue({
      data: { data: { id: 1, runAt: new Date(Date.now() + 3600_000).toISOString() }, meta: {} },
    });
    renderDialog();
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Launch' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() => expect(createSchedule).toHaveBeenCalled());
    const body = createSchedule.mock.calls[0][0] as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'publish', note: 'Launch' });
    expect(Date.parse(body.runAt as string)).toBeGreaterThan(Date.now());
    expect(body).not.toHaveProperty('ifVersion');
    expect(createSchedule.mock.calls[0][1]).toBe('settings');
    expect(screen.getByRole('radio', { name: /Set some fields/ })).toBeTruthy();
  });

  it("another type's: publish or rollback only, sent to that type's schedules", async () => {
    createSchedule.mockReturnValue({
      data: { data: { id: 3, runAt: new Date(Date.now() + 3600_000).toISOString() }, meta: {} },
    });
    renderDialog({}, typeSummary('home-page'));
    expect(screen.queryByRole('radio', { name: /Set some fields/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() => expect(createSchedule).toHaveBeenCalled());
    expect(createSchedule.mock.calls[0]).toEqual([
      expect.objectContaining({ kind: 'publish' }),
      'home-page',
    ]);
  });

  it('a rollback from a version page: that version, and the live-version condition when ticked', async () => {
    createSchedule.mockReturnValue({
      data: { data: { id: 2, runAt: new Date().toISOString() }, meta: {} },
    });
    renderDialog({ initialRollbackTo: 2 });
    fireEvent.click(screen.getByRole('checkbox', { name: /Only if live is still version 4/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() => expect(createSchedule).toHaveBeenCalled());
    expect(createSchedule.mock.calls[0][0]).toMatchObject({
      kind: 'rollback',
      targetVersion: 2,
      ifVersion: 4,
    });
  });

  it("shows the server's 422 field errors next to their fields", async () => {
    createSchedule.mockReturnValue(
      unprocessable([
        { path: ['runAt'], message: 'must be in the future' },
        { path: ['targetVersion'], message: 'version 2 does not exist' },
        { path: ['note'], message: 'must be text of at most 500 characters' },
      ])
    );
    renderDialog({ initialRollbackTo: 2 });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await screen.findByText('must be in the future');
    expect(screen.getByText('Invalid schedule')).toBeTruthy();
    expect(screen.getByLabelText('Version to restore').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('version 2 does not exist')).toBeTruthy();
    expect(screen.getByLabelText('Note').getAttribute('aria-invalid')).toBe('true');
  });
});
