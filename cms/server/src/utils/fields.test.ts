import { describe, expect, it } from '@jest/globals';
import type { Core } from '@strapi/strapi';
import settingSchema from '../content-types/setting/schema';
import { SETTINGS_FIELD_NAMES } from '../../../shared/settings-fields';
import {
  changedFieldNames,
  editableFieldNames,
  fieldSpecsOf,
  snapshotOf,
  valuesEqual,
} from './fields';
import { SETTINGS_UID } from './constants';

/** Just enough of Strapi for the functions that read the live model. */
const strapiWith = (attributes: Record<string, Record<string, unknown>>) =>
  ({
    getModel: (uid: string) => {
      if (uid !== SETTINGS_UID) throw new Error(`unexpected model ${uid}`);
      return { attributes };
    },
  }) as unknown as Core.Strapi;

describe('fieldSpecsOf', () => {
  it('keeps the editable scalar attributes, in schema order, with their rules', () => {
    const specs = fieldSpecsOf({
      id: { type: 'increments' },
      title: { type: 'string', required: true, minLength: 1, maxLength: 10, regex: '^a' },
      level: { type: 'enumeration', enum: ['low', 'high'], default: 'low' },
      logo: { type: 'media' },
      owner: { type: 'relation', relation: 'oneToOne' },
      seo: { type: 'component', component: 'shared.seo' },
      version: { type: 'integer' },
      updatedAt: { type: 'datetime' },
      speed: { type: 'decimal', min: 0, max: 10 },
      extra: { type: 'json' },
    });
    expect(specs.map((spec) => spec.name)).toEqual(['title', 'level', 'speed', 'extra']);
    expect(specs[0]).toEqual({
      name: 'title',
      type: 'string',
      required: true,
      minLength: 1,
      maxLength: 10,
      min: undefined,
      max: undefined,
      regex: '^a',
      enum: undefined,
      default: undefined,
    });
    expect(specs[1]).toMatchObject({ required: false, enum: ['low', 'high'], default: 'low' });
    expect(specs[2]).toMatchObject({ type: 'decimal', min: 0, max: 10 });
  });

  it("reads the settings type's declaration as the list of settings fields", () => {
    expect(fieldSpecsOf(settingSchema.attributes).map((spec) => spec.name)).toEqual(
      SETTINGS_FIELD_NAMES
    );
    expect(editableFieldNames(strapiWith(settingSchema.attributes))).toEqual(SETTINGS_FIELD_NAMES);
  });
});

describe('snapshotOf', () => {
  const strapi = strapiWith({
    id: { type: 'increments' },
    name: { type: 'string' },
    count: { type: 'integer' },
    ratio: { type: 'float' },
    price: { type: 'decimal' },
    enabled: { type: 'boolean' },
    meta: { type: 'json' },
    version: { type: 'integer' },
  });

  it('holds every editable field as plain JSON, whatever the driver handed back', () => {
    expect(
      snapshotOf(strapi, {
        id: 7,
        version: 3,
        name: 'Acme',
        count: '12',
        ratio: '0.5',
        price: '2.50',
        enabled: 1,
        meta: { a: 1 },
        unknownColumn: 'x',
      })
    ).toEqual({ name: 'Acme', count: 12, ratio: 0.5, price: 2.5, enabled: true, meta: { a: 1 } });
  });

  it('reads a missing field as null and 0 as false', () => {
    expect(snapshotOf(strapi, { enabled: 0 })).toEqual({
      name: null,
      count: null,
      ratio: null,
      price: null,
      enabled: false,
      meta: null,
    });
  });

  it('rounds a decimal to the two places its column keeps (what the database reads back)', () => {
    expect(snapshotOf(strapi, { price: 2.000000000001 }).price).toBe(2);
    expect(snapshotOf(strapi, { price: '1.2349' }).price).toBe(1.23);
    expect(snapshotOf(strapi, { price: 9.99 }).price).toBe(9.99);
  });
});

describe('valuesEqual and changedFieldNames', () => {
  it.each<[unknown, unknown, boolean]>([
    ['a', 'a', true],
    [null, undefined, true],
    [undefined, undefined, true],
    [0, null, false],
    ['', null, false],
    [false, null, false],
    [1, '1', false],
    [{ a: [1, 2] }, { a: [1, 2] }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
  ])('%p and %p are equal: %p', (a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
  });

  it("names the fields whose values changed, in the after snapshot's order", () => {
    expect(
      changedFieldNames(
        { siteName: 'A', tagline: 'x', hero3dDensity: 1, maintenanceMode: false },
        { maintenanceMode: true, hero3dDensity: 1, tagline: null, siteName: 'B' }
      )
    ).toEqual(['maintenanceMode', 'tagline', 'siteName']);
  });

  it('counts a field new to the after snapshot as changed unless it is null', () => {
    expect(changedFieldNames({}, { added: 'x', empty: null })).toEqual(['added']);
    expect(changedFieldNames({ removed: 'x' }, {})).toEqual([]);
  });
});
