/**
 * One value of a version, shown for what it is: a swatch for a colour, On/Off for
 * a switch, a wrapped block for long text, a visible "(empty)" for nothing, and a
 * component or dynamic zone as its fields (nested, each list item numbered), with
 * the parts that changed marked on each side of a diff.
 */
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { styled } from 'styled-components';
import { fieldLabel, valueKind, type TextChange } from '../utils/fields';
import { getTranslation } from '../utils/getTranslation';
import { childPath, COMPONENT_KEY, isNested, isRecord } from '../utils/nested';

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

type Side = 'before' | 'after';

/** On one side of a diff, the parts of a nested value that changed (utils/nested.ts). */
export interface NestedChange {
  paths: ReadonlySet<string>;
  side: Side;
}

interface FieldValueProps {
  value: unknown;
  /** For text on one side of a diff: the part that changed is highlighted. */
  change?: { parts: TextChange; side: Side };
  /** For a component or a list on one side of a diff: the parts that changed are marked. */
  nestedChange?: NestedChange;
}

/** A part of a nested value that changed: struck through before, highlighted after. */
const ChangedPart = styled.div<{ $side: Side }>`
  border-radius: ${({ theme }) => theme.borderRadius};
  padding: 0 0.4rem;
  background: ${({ theme, $side }) =>
    $side === 'before' ? theme.colors.danger100 : theme.colors.success100};
  ${({ $side }) => ($side === 'before' ? 'text-decoration: line-through;' : '')}
`;

const Fields = styled.dl`
  display: grid;
  grid-template-columns: minmax(8rem, max-content) 1fr;
  gap: 0.4rem 1.2rem;
  margin: 0;
  align-items: start;
`;

const Items = styled.ol`
  display: flex;
  flex-direction: column;
  gap: 0.8rem;
  margin: 0;
  padding: 0;
  list-style: none;
`;

const Item = styled.li`
  border-left: 2px solid ${({ theme }) => theme.colors.neutral200};
  padding-left: 1rem;
`;

/** One part of a nested value, marked as a whole when it changed as a whole. */
const Part = ({
  value,
  path,
  nestedChange,
}: {
  value: unknown;
  path: string;
  nestedChange?: NestedChange;
}) => {
  const marked = nestedChange?.paths.has(path) ?? false;
  // Inside a part marked as a whole, nothing more to mark.
  const inner = marked ? undefined : nestedChange;
  const content = isNested(value) ? (
    <NestedValue value={value} path={path} nestedChange={inner} />
  ) : (
    <FieldValue value={value} />
  );
  if (!marked) return content;
  return (
    <ChangedPart $side={nestedChange!.side} data-changed={nestedChange!.side}>
      {content}
    </ChangedPart>
  );
};

/** A component's fields, or a list's items (a repeatable component, a dynamic zone, JSON). */
const NestedValue = ({
  value,
  path,
  nestedChange,
}: {
  value: Record<string, unknown> | unknown[];
  path: string;
  nestedChange?: NestedChange;
}) => {
  const { formatMessage } = useIntl();
  if (Array.isArray(value)) {
    if (value.length === 0) return <EmptyValue />;
    return (
      <Items>
        {value.map((item, index) => {
          const itemPath = childPath(path, index);
          const component =
            isRecord(item) && typeof item[COMPONENT_KEY] === 'string'
              ? (item[COMPONENT_KEY] as string)
              : undefined;
          return (
            <Item key={itemPath} data-path={itemPath}>
              <Typography variant="sigma" textColor="neutral600" tag="div">
                {component
                  ? formatMessage(
                      {
                        id: getTranslation('value.itemOfComponent'),
                        defaultMessage: '#{index} · {component}',
                      },
                      { index: index + 1, component }
                    )
                  : formatMessage(
                      { id: getTranslation('value.item'), defaultMessage: '#{index}' },
                      { index: index + 1 }
                    )}
              </Typography>
              <Part value={item} path={itemPath} nestedChange={nestedChange} />
            </Item>
          );
        })}
      </Items>
    );
  }
  const keys = Object.keys(value).filter((key) => key !== COMPONENT_KEY);
  if (keys.length === 0) return <EmptyValue />;
  return (
    <Fields>
      {keys.map((key) => {
        const keyPath = childPath(path, key);
        return (
          <Box key={keyPath} display="contents" data-path={keyPath}>
            <Typography tag="dt" variant="pi" fontWeight="semiBold" textColor="neutral600">
              {fieldLabel(key)}
            </Typography>
            <Box tag="dd" margin={0}>
              <Part value={value[key]} path={keyPath} nestedChange={nestedChange} />
            </Box>
          </Box>
        );
      })}
    </Fields>
  );
};

const ChangedText = ({ parts, side }: NonNullable<FieldValueProps['change']>) => (
  <Block>
    {parts.prefix}
    {side === 'before'
      ? parts.removed && <Removed>{parts.removed}</Removed>
      : parts.added && <Added>{parts.added}</Added>}
    {parts.suffix}
  </Block>
);

export const FieldValue = ({ value, change, nestedChange }: FieldValueProps) => {
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
      return isNested(value) ? (
        <Box data-testid="nested-value">
          <Part value={value} path="" nestedChange={nestedChange} />
        </Box>
      ) : (
        <Block>
          <Mono>{JSON.stringify(value, null, 2)}</Mono>
        </Block>
      );
  }
};
