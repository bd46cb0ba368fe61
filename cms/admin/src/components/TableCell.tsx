import type { ReactNode } from 'react';
import { Box } from '@strapi/design-system';

/**
 * Cells hold inline text and blocks of different heights: the same block
 * wrapper and top alignment in every cell keep a row's values on one line.
 */
export const Cell = ({ children }: { children: ReactNode }) => (
  <Box paddingTop={3} paddingBottom={3}>
    {children}
  </Box>
);

export const TOP = { verticalAlign: 'top' } as const;
export const WRAP = { verticalAlign: 'top', whiteSpace: 'normal' } as const;
