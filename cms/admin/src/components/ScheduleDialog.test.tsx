/** The dialog sends what the server's `validate` expects, and shows its 422 field errors under the inputs. */
import { beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DesignSystemProvider } from '@strapi/design-system';
import type * as Dialog from './ScheduleDialog';

const createSchedule = jest.fn<(body: unknown) => Promise<unknown>>();

jest.mock('@strapi/strapi/admin', () => ({
  useNotification: () => ({ toggleNotification: () => undefined }),
}));
jest.mock('../hooks/useErrorMessage', () => ({
  useErrorMessage: () => (error: Error) => error.message,
}));
jest.mock('../api', () => ({
  useSettingsApi: () => ({
    live: async () => ({ settings: { version: 4, maintenanceMode: false }, lastChange: null }),
    createSchedule,
  }),
}));

// Loaded after the mocks above (the admin app itself cannot load under jsdom).
let ScheduleDialog: typeof Dialog.ScheduleDialog;
beforeAll(async () => {
  ({ ScheduleDialog } = await import('./ScheduleDialog'));
});

const unprocessable = (errors: { path: string[]; message: string }[]) =>
  Object.assign(new Error('Invalid schedule'), {
    response: { data: { data: null, error: { status: 422, details: { errors } } } },
  });

const renderDialog = (props: Partial<React.ComponentProps<typeof Dialog.ScheduleDialog>> = {}) =>
  render(
    <DesignSystemProvider locale="en">
      <ScheduleDialog
        liveVersion={4}
        onClose={() => undefined}
        onCreated={() => undefined}
        {...props}
      />
    </DesignSystemProvider>
  );

beforeEach(() => {
  createSchedule.mockReset();
});

describe('ScheduleDialog', () => {
  it('publishes the draft by default, at the proposed time, with the note', async () => {
    createSchedule.mockResolvedValue({
      id: 1,
      runAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    renderDialog();
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Launch' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() => expect(createSchedule).toHaveBeenCalled());
    const body = createSchedule.mock.calls[0][0] as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'publish', note: 'Launch' });
    expect(Date.parse(body.runAt as string)).toBeGreaterThan(Date.now());
    expect(body).not.toHaveProperty('ifVersion');
  });

  it('a rollback from a version page: that version, and the live-version condition when ticked', async () => {
    createSchedule.mockResolvedValue({ id: 2, runAt: new Date().toISOString() });
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
    createSchedule.mockRejectedValue(
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
