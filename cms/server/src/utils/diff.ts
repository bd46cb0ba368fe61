import type { FieldDiff } from '../../../shared/contracts/settings';
import { valuesEqual } from './fields';

/** Field-by-field difference between two snapshots, in the order of `fields`. */
export const diffSnapshots = (
  fields: string[],
  from: Record<string, unknown>,
  to: Record<string, unknown>
): FieldDiff[] =>
  fields
    .filter((field) => !valuesEqual(from[field], to[field]))
    .map((field) => ({ field, from: from[field] ?? null, to: to[field] ?? null }));
