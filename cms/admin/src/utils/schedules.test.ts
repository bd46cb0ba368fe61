import { describe, expect, it } from '@jest/globals';
import { createIntl } from 'react-intl';
import type { Schedule } from '../../../shared/contracts/settings';
import { SETTINGS_FIELDS } from '../../../shared/settings-fields';
import {
  combineDateAndTime,
  describeKind,
  describeTime,
  fieldErrorsOf,
  formatDuration,
  outcomeOf,
  patchDiff,
  patchInputKind,
  patchValue,
  zoneOffset,
} from './schedules';

// English from the defaultMessages, as the admin shows it when a key has no translation.
const { formatMessage } = createIntl({ locale: 'en', messages: {}, onError: () => undefined });

const schedule = (overrides: Partial<Schedule>): Schedule => ({
  id: 1,
  kind: 'publish',
  runAt: '2026-03-02T02:00:00.000Z',
  data: null,
  targetVersion: null,
  ifVersion: null,
  note: null,
  author: { kind: 'admin', id: 1, name: 'Fay Founder' },
  status: 'pending',
  failureReason: null,
  resultVersion: null,
  resultMessage: null,
  ranAt: null,
  createdAt: '2026-03-01T10:00:00.000Z',
  ...overrides,
});

describe('describeTime', () => {
  it('names the zone and its offset, and gives UTC too', () => {
    const { local, utc } = describeTime('2026-03-02T02:00:00.000Z', 'America/New_York');
    expect(local).toContain('21:00');
    expect(local).toContain('(America/New_York, GMT-5)');
    expect(utc).toBe('2026-03-02 02:00 UTC');
  });

  it("reads in the admin's locale", () => {
    const { local } = describeTime('2026-03-02T02:00:00.000Z', 'Europe/Paris', 'fr');
    expect(local).toContain('lun.');
    expect(local).toContain('03:00');
  });

  it('follows summer time', () => {
    expect(zoneOffset(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe('GMT+2');
    expect(zoneOffset(new Date('2026-01-01T12:00:00Z'), 'Europe/Berlin')).toBe('GMT+1');
  });
});

describe('combineDateAndTime', () => {
  it('puts a time of day on a date, in the local zone', () => {
    const combined = combineDateAndTime(new Date(2026, 2, 2, 17, 45), '02:30');
    expect(combined).toEqual(new Date(2026, 2, 2, 2, 30, 0, 0));
  });

  it('is undefined until both are there and valid', () => {
    expect(combineDateAndTime(undefined, '02:30')).toBeUndefined();
    expect(combineDateAndTime(new Date(), undefined)).toBeUndefined();
    expect(combineDateAndTime(new Date(), '24:00')).toBeUndefined();
    expect(combineDateAndTime(new Date(), 'soon')).toBeUndefined();
  });
});

describe('describeKind', () => {
  it('says what each kind does, with the labels the founder knows', () => {
    expect(describeKind(schedule({ kind: 'publish' }), formatMessage)).toBe('Publish the draft');
    expect(describeKind(schedule({ kind: 'rollback', targetVersion: 7 }), formatMessage)).toBe(
      'Roll back to version 7'
    );
    expect(
      describeKind(
        schedule({ kind: 'patch', data: { maintenanceMode: true, hero3dDensity: 10 } }),
        formatMessage
      )
    ).toBe('Patch: Maintenance mode, Particle count');
  });
});

describe('outcomeOf', () => {
  it('done on time, done late (by how much), failed, skipped, cancelled', () => {
    const runAt = '2026-03-02T02:00:00.000Z';
    expect(
      outcomeOf(
        schedule({ status: 'done', ranAt: '2026-03-02T02:00:01.000Z', runAt }),
        formatMessage
      )
    ).toEqual({ label: 'Done', variant: 'success', lateByMs: null });
    expect(
      outcomeOf(
        schedule({ status: 'done', ranAt: '2026-03-02T02:12:00.000Z', runAt }),
        formatMessage
      )
    ).toEqual({ label: 'Ran late', variant: 'warning', lateByMs: 12 * 60_000 });
    expect(outcomeOf(schedule({ status: 'failed', ranAt: runAt }), formatMessage).variant).toBe(
      'danger'
    );
    expect(outcomeOf(schedule({ status: 'skipped', ranAt: runAt }), formatMessage).label).toBe(
      'Skipped'
    );
    expect(outcomeOf(schedule({ status: 'cancelled' }), formatMessage).lateByMs).toBeNull();
  });

  it('says why a schedule failed when it was tampered with or not permitted', () => {
    const failed = (failureReason: Schedule['failureReason']) =>
      outcomeOf(
        schedule({ status: 'failed', failureReason, ranAt: '2026-03-02T02:00:00.000Z' }),
        formatMessage
      );
    expect(failed('tampered')).toMatchObject({ label: 'Failed: tampered', variant: 'danger' });
    expect(failed('forbidden')).toMatchObject({
      label: 'Failed: not permitted',
      variant: 'danger',
    });
    expect(failed('invalid').label).toBe('Failed');
    expect(failed(null).label).toBe('Failed');
    expect(outcomeOf(schedule({ status: 'running' }), formatMessage).label).toBe('Running');
  });

  it('reads durations for people', () => {
    expect(formatDuration(30_000)).toBe('1 min');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(125 * 60_000)).toBe('2 hr 5 min');
    expect(formatDuration(125 * 60_000, 'de')).toBe('2 Std., 5 Min.');
    expect(formatDuration(72 * 3600_000)).toBe('3 days');
  });
});

describe('patches', () => {
  it('picks the input from the field type', () => {
    expect(patchInputKind(SETTINGS_FIELDS.heroTitle)).toBe('text');
    expect(patchInputKind(SETTINGS_FIELDS.heroSubtitle)).toBe('longText');
    expect(patchInputKind(SETTINGS_FIELDS.primaryColor)).toBe('color');
    expect(patchInputKind(SETTINGS_FIELDS.maintenanceMode)).toBe('boolean');
    expect(patchInputKind(SETTINGS_FIELDS.hero3dDensity)).toBe('integer');
    expect(patchInputKind(SETTINGS_FIELDS.hero3dSpeed)).toBe('decimal');
  });

  it('sends an emptied optional text as null, a required one as "" for the server to refuse', () => {
    expect(patchValue(SETTINGS_FIELDS.tagline, '')).toBeNull();
    expect(patchValue(SETTINGS_FIELDS.heroTitle, '')).toBe('');
    expect(patchValue(SETTINGS_FIELDS.maintenanceMode, true)).toBe(true);
  });

  it('diffs only the fields that change', () => {
    expect(
      patchDiff(
        { maintenanceMode: false, tagline: 'Same' },
        { maintenanceMode: true, tagline: 'Same' }
      )
    ).toEqual([{ field: 'maintenanceMode', from: false, to: true }]);
  });
});

describe('fieldErrorsOf', () => {
  it("keys the server's 422 field errors by their path", () => {
    // The admin's RTK Query layer hands over the response's `error` object.
    const error = {
      status: 422,
      name: 'ValidationError',
      message: 'Invalid schedule',
      details: {
        errors: [
          { path: ['runAt'], message: 'must be in the future' },
          { path: ['data', 'primaryColor'], message: 'must be #RRGGBB' },
        ],
      },
    };
    expect(fieldErrorsOf(error)).toEqual({
      runAt: 'must be in the future',
      'data.primaryColor': 'must be #RRGGBB',
    });
  });

  it('is empty for anything else', () => {
    expect(fieldErrorsOf(new Error('offline'))).toEqual({});
    expect(fieldErrorsOf(null)).toEqual({});
  });
});
