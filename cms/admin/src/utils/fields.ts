/**
 * How a settings value is shown. The admin does not hard-code the schema: the
 * kind of a value is read from the value itself, so new fields render sensibly.
 */
import { fieldDefinition, isHexColor } from '../../../shared/settings-fields';

export type ValueKind = 'empty' | 'color' | 'boolean' | 'number' | 'longText' | 'text' | 'json';

/** Longer than this (or multi-line) and a string is shown as a block, not inline. */
const LONG_TEXT = 60;

export const valueKind = (value: unknown): ValueKind => {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') {
    if (isHexColor(value)) return 'color';
    return value.length > LONG_TEXT || value.includes('\n') ? 'longText' : 'text';
  }
  return 'json';
};

/**
 * The label the founder sees in the Content Manager (shared/settings-fields.ts);
 * a field the schema no longer has (in an old snapshot) reads from its name:
 * `heroSubtitle` → "Hero subtitle".
 */
export const fieldLabel = (field: string): string => {
  const label = fieldDefinition(field)?.label;
  if (label) return label;
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export interface TextChange {
  prefix: string;
  removed: string;
  added: string;
  suffix: string;
}

/**
 * Splits two strings into the part they share at each end and the part that
 * changed, cut at word boundaries, so a long text shows where it changed.
 */
const inWord = (char: string | undefined) => char !== undefined && /\S/.test(char);

export const textChange = (before: string, after: string): TextChange => {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before[start] === after[start]) start += 1;
  // A change that starts inside a word highlights the whole word.
  while (
    start > 0 &&
    inWord(before[start - 1]) &&
    (inWord(before[start]) || inWord(after[start]))
  ) {
    start -= 1;
  }

  let end = 0;
  while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end]) {
    end += 1;
  }
  while (
    end > 0 &&
    inWord(before[before.length - end]) &&
    (inWord(before[before.length - end - 1]) || inWord(after[after.length - end - 1]))
  ) {
    end -= 1;
  }

  return {
    prefix: before.slice(0, start),
    removed: before.slice(start, before.length - end),
    added: after.slice(start, after.length - end),
    suffix: before.slice(before.length - end),
  };
};
