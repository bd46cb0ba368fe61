import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { etagFor, ifMatchTags, noneMatch, strongMatch } from './etag';

const body = '{"data":{"siteName":"Acme"},"meta":{}}';

describe('etagFor', () => {
  it('is a quoted strong tag naming the version and 16 hex digits of the body hash', () => {
    expect(etagFor(7, body)).toMatch(/^"7-[0-9a-f]{16}"$/);
  });

  it('is the same for the same version and bytes, and differs when either changes', () => {
    expect(etagFor(7, body)).toBe(etagFor(7, `${body}`));
    expect(etagFor(8, body)).not.toBe(etagFor(7, body));
    expect(etagFor(7, body.replace('Acme', 'Acmf'))).not.toBe(etagFor(7, body));
  });
});

describe('noneMatch (If-None-Match, weak comparison)', () => {
  const etag = etagFor(3, body);

  it.each([
    ['no header', undefined, false],
    ['an empty header', '', false],
    ['the tag', etag, true],
    ['the tag marked weak', `W/${etag}`, true],
    ['*', '*', true],
    ['the tag in a list with spaces', `"1-aaaa",  ${etag} ,"2-bbbb"`, true],
    ['another version', etagFor(4, body), false],
    ['the tag without quotes', etag.slice(1, -1), false],
    ['a list of other tags', '"1-aaaa", W/"2-bbbb"', false],
  ])('%s → %s', (_name, header, expected) => {
    expect(noneMatch(header, etag)).toBe(expected);
  });
});

describe('ifMatchTags and strongMatch (If-Match, strong comparison)', () => {
  const etag = etagFor(3, body);

  it('reads no header, or an empty one, as no precondition', () => {
    expect(ifMatchTags(undefined)).toBeUndefined();
    expect(ifMatchTags('')).toBeUndefined();
  });

  it('splits a list, trimming spaces and dropping empty entries', () => {
    expect(ifMatchTags(` ${etag} ,, W/"1-aa",*`)).toEqual([etag, 'W/"1-aa"', '*']);
  });

  it.each([
    ['the tag', etag, true],
    ['*', '*', true],
    ['the tag among others', `"1-aaaa", ${etag}`, true],
    ['the tag marked weak', `W/${etag}`, false],
    ['another tag', etagFor(2, body), false],
  ])('%s → %s', (_name, header, expected) => {
    expect(strongMatch(ifMatchTags(header)!, etag)).toBe(expected);
  });
});

describe('noneMatch and strongMatch over any list of tags', () => {
  const tag = fc
    .tuple(fc.nat(), fc.stringMatching(/^[0-9a-f]{16}$/))
    .map(([version, hash]) => `"${version}-${hash}"`);
  const others = (etag: string) =>
    fc.array(
      tag.filter((other) => other !== etag),
      { maxLength: 5 }
    );

  it('the tag anywhere in the list matches both ways; marked weak, only If-None-Match', () => {
    fc.assert(
      fc.property(
        tag.chain((etag) => fc.tuple(fc.constant(etag), others(etag), others(etag))),
        ([etag, before, after]) => {
          const strong = [...before, etag, ...after];
          const weak = [...before, `W/${etag}`, ...after];
          expect(noneMatch(strong.join(', '), etag)).toBe(true);
          expect(strongMatch(ifMatchTags(strong.join(','))!, etag)).toBe(true);
          expect(noneMatch(weak.join(' ,'), etag)).toBe(true);
          expect(strongMatch(ifMatchTags(weak.join(','))!, etag)).toBe(false);
        }
      )
    );
  });

  it('a list without the tag (or *) matches neither way', () => {
    fc.assert(
      fc.property(
        tag.chain((etag) => fc.tuple(fc.constant(etag), others(etag))),
        ([etag, list]) => {
          const header = list.map((other, i) => (i % 2 ? `W/${other}` : other)).join(', ');
          expect(noneMatch(header, etag)).toBe(false);
          expect(strongMatch(ifMatchTags(header) ?? [], etag)).toBe(false);
        }
      )
    );
  });
});
