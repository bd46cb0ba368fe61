/**
 * Roll back, pin and unpin, with their dialogs and toasts, for any page that
 * lists versions. `onChanged` refreshes that page afterwards.
 */
import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useSettingsApi } from '../api';
import { PinDialog } from '../components/PinDialog';
import { RollbackDialog } from '../components/RollbackDialog';
import { useErrorMessage } from './useErrorMessage';

export const useVersionActions = (onChanged: (newLiveVersion?: number) => void) => {
  const api = useSettingsApi();
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const [rollbackTo, setRollbackTo] = React.useState<number | null>(null);
  const [pinning, setPinning] = React.useState<number | null>(null);

  const pin = async (version: number, label: string | null) => {
    try {
      await api.pin(version, label);
      toggleNotification({ type: 'success', message: `Version ${version} is pinned.` });
      setPinning(null);
      onChanged();
    } catch (error) {
      toggleNotification({ type: 'danger', title: 'Could not pin', message: errorMessage(error) });
    }
  };

  const unpin = async (version: number) => {
    try {
      await api.unpin(version);
      toggleNotification({ type: 'success', message: `Version ${version} is no longer pinned.` });
      onChanged();
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: 'Could not unpin',
        message: errorMessage(error),
      });
    }
  };

  const dialogs = (
    <>
      {rollbackTo !== null && (
        <RollbackDialog
          version={rollbackTo}
          onClose={() => setRollbackTo(null)}
          onDone={(newVersion) => {
            setRollbackTo(null);
            onChanged(newVersion);
          }}
        />
      )}
      {pinning !== null && (
        <PinDialog
          version={pinning}
          onClose={() => setPinning(null)}
          onPin={(label) => pin(pinning, label)}
        />
      )}
    </>
  );

  return { startRollback: setRollbackTo, startPin: setPinning, unpin, dialogs };
};
