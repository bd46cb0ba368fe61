import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  decodedSecretBytes,
  pluginKeyProblems,
  secretCharactersProblem,
  secretFormatProblem,
  secretProblem,
} from './secret-format';

const hex32 = () => randomBytes(32).toString('hex');

describe('secretFormatProblem (production)', () => {
  it.each([
    ['openssl rand -hex 32', () => hex32()],
    ['upper-case hex', () => hex32().toUpperCase()],
    ['randomBytes(32) as base64url', () => randomBytes(32).toString('base64url')],
    // What scripts/test.mjs generates for every test run.
    ['randomBytes(36) as base64url', () => randomBytes(36).toString('base64url')],
    ['base64url with padding', () => `${randomBytes(32).toString('base64url')}=`],
  ])('accepts %s', (_name, make) => {
    for (let i = 0; i < 20; i += 1) expect(secretFormatProblem('KEY', make())).toBeNull();
  });

  it('refuses the 32-character alphabet that the old estimate passed as "160 bits"', () => {
    expect(secretFormatProblem('FOUNDER_KEY', 'abcdefghijklmnopqrstuvwxyz012345')).toBe(
      'FOUNDER_KEY is too short: 32 base64url characters are 24 bytes, and at least 32 random bytes are required'
    );
  });

  it('reads all-hex text as hex, so 44 hex digits are 22 bytes, not 33', () => {
    expect(decodedSecretBytes('a1'.repeat(22))).toBe(22);
    expect(secretFormatProblem('K', hex32().slice(0, 44))).toMatch(
      /^K is too short: 44 hex digits are 22 bytes/
    );
    expect(secretFormatProblem('K', hex32().slice(0, 62))).toMatch(/62 hex digits are 31 bytes/);
  });

  it('refuses 31 bytes of base64url and a development default', () => {
    expect(secretFormatProblem('K', randomBytes(31).toString('base64url'))).toMatch(
      /42 base64url characters are 31 bytes/
    );
    expect(secretFormatProblem('ADMIN_JWT_SECRET', 'dev-admin-jwt-secret')).toMatch(/too short/);
  });

  it('refuses standard base64 and other alphabets, with a hint', () => {
    expect(secretFormatProblem('K', 'a+b/'.repeat(12))).toMatch(/standard base64/);
    expect(secretFormatProblem('K', `${hex32()}!`)).toMatch(/hex .* or base64url .* neither/);
  });

  it('refuses a long key with no randomness in it', () => {
    expect(secretFormatProblem('K', 'k'.repeat(64))).toBe(
      'K is not random (1 distinct characters)'
    );
    expect(secretFormatProblem('K', 'ab'.repeat(40))).toMatch(/not random/);
  });

  it('never repeats the value in a message', () => {
    for (const value of ['abcdefghijklmnopqrstuvwxyz012345', ` ${hex32()}`, `${hex32()}é`]) {
      expect(secretFormatProblem('K', value)).not.toContain(value.trim());
    }
  });
});

describe('secretCharactersProblem (every environment)', () => {
  it.each([
    ['a trailing newline', `${hex32()}\n`, /whitespace around it/],
    ['a leading space', ` ${hex32()}`, /whitespace around it/],
    ['a space inside', `${hex32()} x`, /not visible ASCII/],
    ['a non-breaking space', `${hex32()}\u00a0x`, /not visible ASCII/],
    ['a non-ASCII letter', `clé-${hex32()}`, /not visible ASCII/],
    ['a control character', `${hex32()}\u0007`, /not visible ASCII/],
  ])('refuses %s', (_name, value, reason) => {
    expect(secretCharactersProblem('FOUNDER_KEY', value)).toMatch(reason);
    expect(secretProblem('FOUNDER_KEY', value, { production: false })).toMatch(reason);
  });

  it('accepts any visible ASCII outside production, however short', () => {
    expect(secretProblem('K', 'dev-admin-jwt-secret', { production: false })).toBeNull();
    expect(secretProblem('K', undefined, { production: false })).toBe('K is not set');
  });
});

describe('pluginKeyProblems', () => {
  it('names every missing key in production, and nothing in development', () => {
    expect(pluginKeyProblems({ NODE_ENV: 'production' })).toEqual([
      'FOUNDER_KEY is not set',
      'HISTORY_SIGNING_KEY is not set',
      'METRICS_TOKEN is not set',
    ]);
    expect(pluginKeyProblems({})).toEqual([]);
    expect(pluginKeyProblems({ NODE_ENV: 'development' })).toEqual([]);
  });

  it('checks the rotation keys only when they are set', () => {
    const env = {
      NODE_ENV: 'production',
      FOUNDER_KEY: hex32(),
      HISTORY_SIGNING_KEY: hex32(),
      METRICS_TOKEN: hex32(),
    };
    expect(pluginKeyProblems(env)).toEqual([]);
    expect(pluginKeyProblems({ ...env, FOUNDER_KEY_PREVIOUS: '' })).toEqual([]);
    expect(pluginKeyProblems({ ...env, FOUNDER_KEY_PREVIOUS: 'short' })).toEqual([
      expect.stringMatching(/^FOUNDER_KEY_PREVIOUS is too short/),
    ]);
    expect(
      pluginKeyProblems({ NODE_ENV: 'test', HISTORY_SIGNING_KEY_PREVIOUS: `${hex32()} ` })
    ).toEqual([expect.stringMatching(/^HISTORY_SIGNING_KEY_PREVIOUS has whitespace/)]);
  });
});
