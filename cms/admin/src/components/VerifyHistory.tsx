/**
 * "Verify the history": the server walks the type's whole signed chain (every row
 * against its signature and the one before it, the head, the live version) and says
 * whether the history is what was signed, or where it stops being so.
 */
import * as React from 'react';
import { Alert, Box, Button, Typography } from '@strapi/design-system';
import { SealCheck } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useLazyVerifyHistoryQuery } from '../services/api';
import { getTranslation } from '../utils/getTranslation';

/** One check per click, its answer shown until it is closed or the next check starts. */
export const useVerifyHistory = (type: string) => {
  const [trigger, result] = useLazyVerifyHistoryQuery();
  const [shown, setShown] = React.useState(false);
  return {
    run: () => {
      setShown(true);
      void trigger(type, false);
    },
    close: () => setShown(false),
    // A check of another type (the page switched) is not this type's answer.
    result: shown && result.originalArgs === type ? result : undefined,
  };
};

type Verify = ReturnType<typeof useVerifyHistory>;

export const VerifyButton = ({ verify }: { verify: Verify }) => {
  const { formatMessage } = useIntl();
  return (
    <Button
      variant="tertiary"
      startIcon={<SealCheck />}
      loading={verify.result?.isFetching ?? false}
      onClick={verify.run}
    >
      {formatMessage({ id: getTranslation('verify.button'), defaultMessage: 'Verify the history' })}
    </Button>
  );
};

export const VerifyReportAlert = ({ verify }: { verify: Verify }) => {
  const { formatMessage } = useIntl();
  const errorMessage = useErrorMessage();
  const result = verify.result;
  if (!result || result.isFetching) return null;
  const close = {
    closeLabel: formatMessage({ id: getTranslation('form.close'), defaultMessage: 'Close' }),
    onClose: verify.close,
  };
  let alert: React.ReactNode;
  if (result.error || !result.data) {
    alert = (
      <Alert variant="danger" {...close}>
        {formatMessage(
          {
            id: getTranslation('verify.failed'),
            defaultMessage: 'The history could not be checked: {error}',
          },
          { error: errorMessage(result.error) }
        )}
      </Alert>
    );
  } else if (result.data.ok) {
    const report = result.data;
    alert = (
      <Alert
        variant="success"
        {...close}
        title={formatMessage({
          id: getTranslation('verify.ok.title'),
          defaultMessage: 'The history verifies',
        })}
      >
        {formatMessage(
          {
            id: getTranslation('verify.ok'),
            defaultMessage:
              '{count, plural, one {# version} other {# versions}} checked against their signatures; version {head} is the newest, signed with key {keyId}.',
          },
          { count: report.versions, head: report.head.version, keyId: report.keyId }
        )}
      </Alert>
    );
  } else {
    const report = result.data;
    alert = (
      <Alert
        variant="danger"
        {...close}
        title={formatMessage({
          id: getTranslation('verify.broken.title'),
          defaultMessage: 'The history does not verify',
        })}
      >
        <Typography>
          {formatMessage(
            {
              id: getTranslation('verify.broken'),
              defaultMessage: 'From version {version}: {message}',
            },
            { version: report.brokenAt, message: report.message }
          )}
        </Typography>
      </Alert>
    );
  }
  return (
    <Box paddingBottom={4} data-testid="verify-report">
      {alert}
    </Box>
  );
};
