/** The frame and the time column shared by the schedules panel's pending cards and finished rows. */
import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { describeTime } from '../../utils/schedules';

export const When = ({ iso, timeZone }: { iso: string; timeZone: string }) => {
  const { locale } = useIntl();
  const { local, utc } = describeTime(iso, timeZone, locale);
  return (
    <Flex direction="column" alignItems="flex-start" gap={0}>
      <Typography fontWeight="semiBold" textColor="neutral800">
        {local}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {utc}
      </Typography>
    </Flex>
  );
};

export const Card = ({ children, ...props }: React.ComponentProps<typeof Box>) => (
  <Box
    padding={4}
    hasRadius
    background="neutral0"
    borderColor="neutral200"
    borderStyle="solid"
    borderWidth="1px"
    {...props}
  >
    {children}
  </Box>
);
