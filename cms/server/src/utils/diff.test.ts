import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { diffSnapshots } from './diff';

const fields = ['siteName', 'tagline', 'hero3dDensity', 'maintenanceMode'];

describe('diffSnapshots', () => {
  it('lists only the fields that differ, in the order of the fields given', () => {
    const from = { siteName: 'A', tagline: 'x', hero3dDensity: 10, maintenanceMode: false };
    const to = { maintenanceMode: true, hero3dDensity: 10, tagline: 'y', siteName: 'A' };
    expect(diffSnapshots(fields, from, to)).toEqual([
      { field: 'tagline', from: 'x', to: 'y' },
      { field: 'maintenanceMode', from: false, to: true },
    ]);
  });

  it('reads a missing or undefined value as null, and missing equals null', () => {
    expect(diffSnapshots(fields, { tagline: null }, {})).toEqual([]);
    expect(diffSnapshots(fields, { tagline: undefined }, { tagline: null })).toEqual([]);
    expect(diffSnapshots(fields, {}, { tagline: 'new' })).toEqual([
      { field: 'tagline', from: null, to: 'new' },
    ]);
    expect(diffSnapshots(fields, { siteName: 'A' }, {})).toEqual([
      { field: 'siteName', from: 'A', to: null },
    ]);
  });

  it('ignores fields it is not asked about', () => {
    expect(diffSnapshots(['siteName'], { siteName: 'A', extra: 1 }, { siteName: 'A' })).toEqual([]);
  });

  it('compares values, not references (a JSON field holding an equal object is unchanged)', () => {
    expect(diffSnapshots(['json'], { json: { a: [1, 2] } }, { json: { a: [1, 2] } })).toEqual([]);
    expect(diffSnapshots(['json'], { json: { a: [1, 2] } }, { json: { a: [2, 1] } })).toHaveLength(
      1
    );
  });

  const snapshot = fc.record(
    {
      siteName: fc.string(),
      tagline: fc.option(fc.string()),
      hero3dDensity: fc.integer(),
      maintenanceMode: fc.boolean(),
    },
    { requiredKeys: [] }
  );

  it('is symmetric: the diff back is the diff forth with from and to swapped', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        const back = diffSnapshots(fields, b, a).map(({ field, from, to }) => ({
          field,
          from: to,
          to: from,
        }));
        expect(back).toEqual(diffSnapshots(fields, a, b));
      })
    );
  });

  it('finds nothing between a snapshot and itself, and applying the diff closes it', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        expect(diffSnapshots(fields, a, { ...a })).toEqual([]);
        const applied = { ...a };
        for (const { field, to } of diffSnapshots(fields, a, b)) {
          (applied as Record<string, unknown>)[field] = to;
        }
        expect(diffSnapshots(fields, applied, b)).toEqual([]);
      })
    );
  });
});
