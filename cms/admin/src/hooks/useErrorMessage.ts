import * as React from 'react';
import { isFetchError, useAPIErrorHandler } from '@strapi/strapi/admin';

/** The server's own message for an API error (e.g. "Version 9 does not exist"). */
export const useErrorMessage = () => {
  const { formatAPIError } = useAPIErrorHandler();
  return React.useCallback(
    (error: unknown): string => {
      if (isFetchError(error)) return formatAPIError(error);
      return error instanceof Error ? error.message : 'Something went wrong';
    },
    [formatAPIError]
  );
};
