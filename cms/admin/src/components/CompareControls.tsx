/** Choose what a version is compared with: live, the previous one, a pinned one, or any number. */
import * as React from 'react';
import {
  Button,
  Field,
  Flex,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { HistoryEntry } from '../../../shared/contracts/settings';
import { getTranslation } from '../utils/getTranslation';

/** What the URL's `compare` holds: 'live', 'previous', or a version number. */
export type CompareTarget = 'live' | 'previous' | number;

export const parseCompareTarget = (raw: unknown, fallback: CompareTarget): CompareTarget => {
  if (raw === 'live' || raw === 'previous') return raw;
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

interface CompareControlsProps {
  version: number;
  liveVersion: number;
  target: CompareTarget;
  pinned: HistoryEntry[];
  onChange: (target: CompareTarget) => void;
}

export const CompareControls = ({
  version,
  liveVersion,
  target,
  pinned,
  onChange,
}: CompareControlsProps) => {
  const pinnedOthers = pinned.filter((entry) => entry.version !== version);
  const isPinnedTarget =
    typeof target === 'number' && pinnedOthers.some((entry) => entry.version === target);
  const selected =
    typeof target === 'number' ? (isPinnedTarget ? String(target) : 'other') : target;
  const [other, setOther] = React.useState<number | undefined>(
    typeof target === 'number' ? target : undefined
  );
  const [showOther, setShowOther] = React.useState(selected === 'other');
  const { formatMessage } = useIntl();

  return (
    <Flex gap={4} alignItems="flex-end" wrap="wrap">
      <Field.Root name="compare-with" width="28rem">
        <Field.Label>
          {formatMessage({ id: getTranslation('compare.with'), defaultMessage: 'Compare with' })}
        </Field.Label>
        <SingleSelect
          value={showOther ? 'other' : selected}
          onChange={(value) => {
            if (value === 'other') {
              setShowOther(true);
              return;
            }
            setShowOther(false);
            onChange(value === 'live' || value === 'previous' ? value : Number(value));
          }}
        >
          {version !== liveVersion && (
            <SingleSelectOption value="live">
              {formatMessage(
                { id: getTranslation('compare.live'), defaultMessage: 'Live version (v{version})' },
                { version: liveVersion }
              )}
            </SingleSelectOption>
          )}
          {version > 1 && (
            <SingleSelectOption value="previous">
              {formatMessage(
                {
                  id: getTranslation('compare.previous'),
                  defaultMessage: 'Previous version (v{version})',
                },
                { version: version - 1 }
              )}
            </SingleSelectOption>
          )}
          {pinnedOthers.map((entry) => (
            <SingleSelectOption key={entry.version} value={String(entry.version)}>
              {entry.pinLabel
                ? formatMessage(
                    {
                      id: getTranslation('compare.pinnedLabelled'),
                      defaultMessage: 'Pinned: v{version} — {label}',
                    },
                    { version: entry.version, label: entry.pinLabel }
                  )
                : formatMessage(
                    { id: getTranslation('compare.pinned'), defaultMessage: 'Pinned: v{version}' },
                    { version: entry.version }
                  )}
            </SingleSelectOption>
          ))}
          <SingleSelectOption value="other">
            {formatMessage({
              id: getTranslation('compare.other'),
              defaultMessage: 'Another version…',
            })}
          </SingleSelectOption>
        </SingleSelect>
      </Field.Root>
      {showOther && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (other) onChange(other);
          }}
        >
          <Flex gap={2} alignItems="flex-end">
            <Field.Root name="compare-version" width="16rem">
              <Field.Label>
                {formatMessage({
                  id: getTranslation('compare.versionNumber'),
                  defaultMessage: 'Version number',
                })}
              </Field.Label>
              <NumberInput value={other} onValueChange={setOther} step={1} />
            </Field.Root>
            <Button type="submit" variant="secondary" disabled={!other || other === version}>
              {formatMessage({ id: getTranslation('compare.submit'), defaultMessage: 'Compare' })}
            </Button>
          </Flex>
        </form>
      )}
    </Flex>
  );
};
