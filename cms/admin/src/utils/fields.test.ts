import { describe, expect, it } from '@jest/globals';
import { fieldLabel, textChange, valueKind } from './fields';

describe('valueKind', () => {
  it.each([
    [null, 'empty'],
    ['', 'empty'],
    [undefined, 'empty'],
    [true, 'boolean'],
    [false, 'boolean'],
    [1200, 'number'],
    ['#4F46E5', 'color'],
    ['#4f46e5', 'color'],
    ['#4F46E', 'text'],
    ['Acme', 'text'],
    ['x'.repeat(61), 'longText'],
    ['two\nlines', 'longText'],
    [{ a: 1 }, 'json'],
  ])('%p is %s', (value, kind) => {
    expect(valueKind(value)).toBe(kind);
  });
});

describe('fieldLabel', () => {
  it('uses the labels of shared/settings-fields.ts, as the Content Manager does', () => {
    expect(fieldLabel('heroTitle')).toBe('Hero title');
    expect(fieldLabel('hero3dDensity')).toBe('Particle count');
    expect(fieldLabel('ctaUrl')).toBe('Button link');
  });

  it('turns the name of a field the schema no longer has into a label', () => {
    expect(fieldLabel('legacyFooterText')).toBe('Legacy footer text');
    expect(fieldLabel('old_banner')).toBe('Old banner');
  });
});

describe('textChange', () => {
  it('isolates a changed word', () => {
    expect(textChange('The quick brown fox', 'The slow brown fox')).toEqual({
      prefix: 'The ',
      removed: 'quick',
      added: 'slow',
      suffix: ' brown fox',
    });
  });

  it('highlights whole words, not letters', () => {
    expect(textChange('cats and dogs', 'cars and dogs')).toEqual({
      prefix: '',
      removed: 'cats',
      added: 'cars',
      suffix: ' and dogs',
    });
  });

  it('handles appended and removed text', () => {
    expect(textChange('Hello', 'Hello world')).toEqual({
      prefix: 'Hello',
      removed: '',
      added: ' world',
      suffix: '',
    });
    expect(textChange('Hello world', 'world')).toEqual({
      prefix: '',
      removed: 'Hello ',
      added: '',
      suffix: 'world',
    });
  });

  it('always reassembles both sides', () => {
    const pairs: [string, string][] = [
      ['a b c', 'a x c'],
      ['aaa', 'aaaa'],
      ['same', 'same'],
      ['', 'new'],
      ['Every change is a new version.', 'Every change is a new, immutable version.'],
    ];
    for (const [before, after] of pairs) {
      const { prefix, removed, added, suffix } = textChange(before, after);
      expect(prefix + removed + suffix).toBe(before);
      expect(prefix + added + suffix).toBe(after);
    }
  });
});
