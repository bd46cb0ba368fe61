/**
 * One settings value, shown for what it is: a swatch for a colour, On/Off for
 * a switch, a wrapped block for long text, and a visible "(empty)" for nothing.
 */
import { Badge, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { styled } from 'styled-components';
import { valueKind, type TextChange } from '../utils/fields';
import { getTranslation } from '../utils/getTranslation';

export const Swatch = styled.span<{ $color: string }>`
  display: inline-block;
  flex-shrink: 0;
  width: 2rem;
  height: 2rem;
  border-radius: ${({ theme }) => theme.borderRadius};
  border: 1px solid ${({ theme }) => theme.colors.neutral300};
  background: ${({ $color }) => $color};
`;

const Block = styled.div`
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  max-width: 48rem;
  line-height: 1.5;
`;

const Mono = styled.code`
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 1.3rem;
`;

const Removed = styled.del`
  background: ${({ theme }) => theme.colors.danger100};
  color: ${({ theme }) => theme.colors.danger700};
  border-radius: 2px;
`;

const Added = styled.ins`
  background: ${({ theme }) => theme.colors.success100};
  color: ${({ theme }) => theme.colors.success700};
  text-decoration: none;
  border-radius: 2px;
`;

export const EmptyValue = () => {
  const { formatMessage } = useIntl();
  return (
    <Typography textColor="neutral500" style={{ fontStyle: 'italic' }}>
      {formatMessage({ id: getTranslation('value.empty'), defaultMessage: '(empty)' })}
    </Typography>
  );
};

interface FieldValueProps {
  value: unknown;
  /** For text on one side of a diff: the part that changed is highlighted. */
  change?: { parts: TextChange; side: 'before' | 'after' };
}

const ChangedText = ({ parts, side }: NonNullable<FieldValueProps['change']>) => (
  <Block>
    {parts.prefix}
    {side === 'before'
      ? parts.removed && <Removed>{parts.removed}</Removed>
      : parts.added && <Added>{parts.added}</Added>}
    {parts.suffix}
  </Block>
);

export const FieldValue = ({ value, change }: FieldValueProps) => {
  const { formatMessage } = useIntl();
  const kind = valueKind(value);
  switch (kind) {
    case 'empty':
      return <EmptyValue />;
    case 'boolean':
      return value ? (
        <Badge variant="success">
          {formatMessage({ id: getTranslation('value.on'), defaultMessage: 'On' })}
        </Badge>
      ) : (
        <Badge variant="neutral">
          {formatMessage({ id: getTranslation('value.off'), defaultMessage: 'Off' })}
        </Badge>
      );
    case 'number':
      return <Typography>{String(value)}</Typography>;
    case 'color':
      return (
        <Flex gap={2} alignItems="center">
          <Swatch $color={value as string} data-testid="color-swatch" title={value as string} />
          <Mono>{value as string}</Mono>
        </Flex>
      );
    case 'text':
    case 'longText':
      return change ? (
        <Typography tag="div">
          <ChangedText {...change} />
        </Typography>
      ) : (
        <Typography tag="div">
          <Block>{value as string}</Block>
        </Typography>
      );
    default:
      return (
        <Block>
          <Mono>{JSON.stringify(value, null, 2)}</Mono>
        </Block>
      );
  }
};
