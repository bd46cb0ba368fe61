/**
 * Roll back, pin and unpin versions of one type (its key), with their dialogs and
 * toasts, for any page that lists versions. The mutations' tags refresh what they
 * changed (services/api.ts); `onRolledBack` lets a page move on after a rollback.
 */
import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { PinDialog } from '../components/PinDialog';
import { RollbackDialog } from '../components/RollbackDialog';
import { usePinVersionMutation, useUnpinVersionMutation } from '../services/api';
import { getTranslation } from '../utils/getTranslation';
import { useErrorMessage } from './useErrorMessage';

export const useVersionActions = (
  type: string,
  onRolledBack?: (newLiveVersion: number) => void
) => {
  const [pinVersion] = usePinVersionMutation();
  const [unpinVersion] = useUnpinVersionMutation();
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const { formatMessage } = useIntl();
  const [rollbackTo, setRollbackTo] = React.useState<number | null>(null);
  const [pinning, setPinning] = React.useState<number | null>(null);

  const pin = async (version: number, label: string | null) => {
    try {
      await pinVersion({ type, version, label }).unwrap();
      toggleNotification({
        type: 'success',
        message: formatMessage(
          { id: getTranslation('pin.done'), defaultMessage: 'Version {version} is pinned.' },
          { version }
        ),
      });
      setPinning(null);
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: formatMessage({ id: getTranslation('pin.failed'), defaultMessage: 'Could not pin' }),
        message: errorMessage(error),
      });
    }
  };

  const unpin = async (version: number) => {
    try {
      await unpinVersion({ type, version }).unwrap();
      toggleNotification({
        type: 'success',
        message: formatMessage(
          {
            id: getTranslation('unpin.done'),
            defaultMessage: 'Version {version} is no longer pinned.',
          },
          { version }
        ),
      });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: formatMessage({
          id: getTranslation('unpin.failed'),
          defaultMessage: 'Could not unpin',
        }),
        message: errorMessage(error),
      });
    }
  };

  const dialogs = (
    <>
      {rollbackTo !== null && (
        <RollbackDialog
          type={type}
          version={rollbackTo}
          onClose={() => setRollbackTo(null)}
          onDone={(newVersion) => {
            setRollbackTo(null);
            onRolledBack?.(newVersion);
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
