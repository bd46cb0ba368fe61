/**
 * Component and dynamic-zone values — objects and lists, nested — compared part by
 * part, so a diff can mark the title that changed inside the third feature instead of
 * the whole list. A part is named by its path from the field: `1.title`, `seo.title`.
 */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Shown part by part: an object or a list. */
export const isNested = (value: unknown): value is Record<string, unknown> | unknown[] =>
  Array.isArray(value) || isRecord(value);

export const childPath = (path: string, key: string | number) =>
  path === '' ? String(key) : `${path}.${key}`;

/** A dynamic zone's item names its component (`home.feature`) here. */
export const COMPONENT_KEY = '__component';

/**
 * The paths under which `before` and `after` differ: each leaf that changed, and each
 * item or key only one side has (as a whole). `['']`: the values differ as a whole
 * (a list on one side, text on the other, or nothing on one side).
 */
export const changedPaths = (before: unknown, after: unknown, path = ''): string[] => {
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) =>
      changedPaths(before[index], after[index], childPath(path, index))
    ).flat();
  }
  if (isRecord(before) && isRecord(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((key) =>
      changedPaths(before[key], after[key], childPath(path, key))
    );
  }
  if (isNested(before) || isNested(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
  }
  // A part a snapshot lacks and one it holds empty read the same.
  return (before ?? null) === (after ?? null) ? [] : [path];
};
