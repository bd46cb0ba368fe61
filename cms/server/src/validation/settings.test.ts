import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_SETTINGS, SETTINGS_FIELD_NAMES } from '../../../shared/settings-fields';
import type { FieldError } from '../utils/errors';
import { checkComplete, checkSettingsData, parseUpdateBody } from './settings';

/** What a refused body answers: the 422's status, message and its list of field errors. */
const refusal = (body: unknown) => {
  try {
    parseUpdateBody(body);
  } catch (error) {
    const { status, message, details } = error as {
      status: number;
      message: string;
      details: { errors: FieldError[] };
    };
    return { status, message, errors: details.errors };
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
};

const problem = (path: string[], message: string): FieldError => ({
  path,
  message,
  name: 'ValidationError',
});

describe('checkSettingsData', () => {
  it('accepts every default value', () => {
    expect(checkSettingsData({ ...DEFAULT_SETTINGS }, ['data'])).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty required string', { siteName: '   ' }, 'must not be empty'],
    ['a string too long', { siteName: 'x'.repeat(121) }, 'must be at most 120 characters'],
    ['a number for a string', { tagline: 5 }, 'must be a string'],
    ['a NUL character', { heroTitle: 'a\u0000b' }, 'must not contain the NUL character (\\u0000)'],
    ['a colour by name', { primaryColor: 'red' }, 'must be a colour in #RRGGBB form'],
    ['a short colour', { accentColor: '#FFF' }, 'must be a colour in #RRGGBB form'],
    [
      'a protocol-relative link',
      { ctaUrl: '//evil.example' },
      'must be an http(s):// URL or a path starting with /',
    ],
    ['a fraction for a whole number', { hero3dDensity: 1.5 }, 'must be a whole number'],
    ['a number above the maximum', { hero3dDensity: 5001 }, 'must be at most 5000'],
    ['a number below the minimum', { hero3dSpeed: -0.01 }, 'must be at least 0'],
    ['three decimal places', { hero3dSpeed: 1.234 }, 'must have at most 2 decimal places'],
    ['a number as text', { hero3dSpeed: '1' }, 'must be a number'],
    ['"yes" for a switch', { maintenanceMode: 'yes' }, 'must be true or false'],
    ['null for a switch', { hero3dEnabled: null }, 'must be true or false'],
    ['a server-managed field', { version: 3 }, 'is managed by the server and cannot be set'],
    ['an unknown field', { heroTitel: 'x' }, 'is not a settings field'],
  ])('refuses %s, naming the field under the prefix', (_name, data, message) => {
    const [field] = Object.keys(data);
    expect(checkSettingsData(data, ['draft'])).toEqual([problem(['draft', field], message)]);
  });

  it('accepts what an optional field may hold: null, an empty string where a pattern applies', () => {
    expect(checkSettingsData({ tagline: null, ctaUrl: '', primaryColor: null }, [])).toEqual([]);
    expect(checkSettingsData({ ctaUrl: 'https://example.com/x?y#z' }, [])).toEqual([]);
    expect(checkSettingsData({ hero3dSpeed: 10, hero3dDensity: 0 }, [])).toEqual([]);
  });

  it('names every bad field at once, in the order given', () => {
    expect(
      checkSettingsData({ tagline: 1, siteName: 'fine', bogus: true, hero3dDensity: -1 }, ['data'])
    ).toEqual([
      problem(['data', 'tagline'], 'must be a string'),
      problem(['data', 'bogus'], 'is not a settings field'),
      problem(['data', 'hero3dDensity'], 'must be at least 0'),
    ]);
  });
});

describe('checkComplete', () => {
  it('names each required field the result would leave empty', () => {
    expect(checkComplete({ ...DEFAULT_SETTINGS }, ['data'])).toEqual([]);
    expect(
      checkComplete({ ...DEFAULT_SETTINGS, siteName: null, heroTitle: undefined, tagline: null }, [
        'data',
      ])
    ).toEqual([
      problem(['data', 'siteName'], 'is required'),
      problem(['data', 'heroTitle'], 'is required'),
    ]);
    expect(checkComplete({}, []).map((error) => error.path[0])).toEqual([
      'siteName',
      'heroTitle',
      'hero3dEnabled',
      'maintenanceMode',
    ]);
  });
});

describe('parseUpdateBody', () => {
  it("returns the client's own data, in the order sent, and the note (null when absent)", () => {
    const body = { data: { tagline: 'b', siteName: 'a' }, note: 'why' };
    const parsed = parseUpdateBody(body);
    expect(parsed).toEqual({ data: { tagline: 'b', siteName: 'a' }, note: 'why' });
    expect(Object.keys(parsed.data)).toEqual(['tagline', 'siteName']);
    expect(parseUpdateBody({ data: { siteName: 'a' } }).note).toBeNull();
    expect(parseUpdateBody({ data: { siteName: 'a' }, note: null }).note).toBeNull();
  });

  it.each<[string, unknown, FieldError[]]>([
    ['null', null, [problem([], 'must be a JSON object like { "data": { ... } }')]],
    ['an array', [], [problem([], 'must be a JSON object like { "data": { ... } }')]],
    ['no data', {}, [problem(['data'], 'must be an object of settings fields')]],
    ['empty data', { data: {} }, [problem(['data'], 'must contain at least one field')]],
    ['data as an array', { data: [] }, [problem(['data'], 'must be an object of settings fields')]],
    [
      'fields outside data',
      { siteName: 'x' },
      [
        problem(['siteName'], 'is not allowed; send fields inside "data"'),
        problem(['data'], 'must be an object of settings fields'),
      ],
    ],
    [
      'several problems',
      { data: { tagline: 1, id: 3, bogus: 2, siteName: '' }, note: 'x'.repeat(501), extra: 1 },
      [
        problem(['data', 'tagline'], 'must be a string'),
        problem(['data', 'id'], 'is managed by the server and cannot be set'),
        problem(['data', 'bogus'], 'is not a settings field'),
        problem(['data', 'siteName'], 'must not be empty'),
        problem(['note'], 'must be at most 500 characters'),
        problem(['extra'], 'is not allowed; send fields inside "data"'),
      ],
    ],
    [
      'a note that is not text',
      { data: { siteName: 'a' }, note: 5 },
      [problem(['note'], 'must be a string')],
    ],
  ])('refuses %s with a 422 naming each problem', (_name, body, errors) => {
    expect(refusal(body)).toEqual({ status: 422, message: 'Invalid settings update', errors });
  });

  it('answers any JSON body with a parsed update or a 422 whose every error has a path and a reason', () => {
    // Mostly real field names with values of every type, so both answers come up.
    const field = fc.oneof(fc.constantFrom(...SETTINGS_FIELD_NAMES, 'version', 'id'), fc.string());
    const value = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('#0B1020', '/signup', 'https://example.com'),
      fc.integer({ min: -10, max: 6000 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue()
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        { data: fc.dictionary(field, value, { maxKeys: 4 }), note: fc.option(fc.string()) },
        { requiredKeys: ['data'] }
      )
    );
    let accepted = 0;
    fc.assert(
      fc.property(body, (input) => {
        let parsed;
        try {
          parsed = parseUpdateBody(input);
        } catch (error) {
          const { status, details } = error as {
            status: number;
            details: { errors: FieldError[] };
          };
          expect(status).toBe(422);
          expect(details.errors.length).toBeGreaterThan(0);
          for (const { path, message } of details.errors) {
            expect(path.every((step) => typeof step === 'string')).toBe(true);
            expect(message).toMatch(/^\S.+/);
          }
          return;
        }
        accepted += 1;
        expect(checkSettingsData(parsed.data, ['data'])).toEqual([]);
      }),
      { numRuns: 300 }
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
