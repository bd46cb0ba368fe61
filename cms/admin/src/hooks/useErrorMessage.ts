import * as React from 'react';
import { isFetchError, useAPIErrorHandler } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

/** The server's own message for an API error (e.g. "Version 9 does not exist"). */
export const useErrorMessage = () => {
  const { formatAPIError } = useAPIErrorHandler();
  const { formatMessage } = useIntl();
  return React.useCallback(
    (error: unknown): string => {
      if (isFetchError(error)) return formatAPIError(error);
      return error instanceof Error
        ? error.message
        : formatMessage({
            id: getTranslation('error.unknown'),
            defaultMessage: 'Something went wrong',
          });
    },
    [formatAPIError, formatMessage]
  );
};
