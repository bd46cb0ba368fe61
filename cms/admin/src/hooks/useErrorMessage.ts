import * as React from 'react';
import { isFetchError, useAPIErrorHandler } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

type ApiErrorLike = Parameters<ReturnType<typeof useAPIErrorHandler>['_unstableFormatAPIError']>[0];

/** An error the admin's RTK Query layer returns (`{ name, message, details?, status? }`). */
const isApiError = (error: unknown): error is ApiErrorLike =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { name?: unknown }).name === 'string' &&
  typeof (error as { message?: unknown }).message === 'string';

/** The server's own message for an API error (e.g. "Version 9 does not exist"). */
export const useErrorMessage = () => {
  const { formatAPIError, _unstableFormatAPIError } = useAPIErrorHandler();
  const { formatMessage } = useIntl();
  return React.useCallback(
    (error: unknown): string => {
      if (isFetchError(error)) return formatAPIError(error);
      if (isApiError(error)) return _unstableFormatAPIError(error);
      return error instanceof Error
        ? error.message
        : formatMessage({
            id: getTranslation('error.unknown'),
            defaultMessage: 'Something went wrong',
          });
    },
    [formatAPIError, _unstableFormatAPIError, formatMessage]
  );
};
