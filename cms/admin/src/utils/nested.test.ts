import { describe, expect, it } from '@jest/globals';
import { changedPaths, isNested } from './nested';

describe('changedPaths', () => {
  it('names the leaf that changed inside a component', () => {
    expect(
      changedPaths(
        { title: 'Launch', description: 'Same', shareImage: null },
        { title: 'Launch week', description: 'Same', shareImage: null }
      )
    ).toEqual(['title']);
  });

  it('names items of a repeatable component by position, an added one as a whole', () => {
    const before = [
      { title: 'Fast', icon: 'bolt' },
      { title: 'Signed', icon: 'shield' },
    ];
    const after = [
      { title: 'Fast', icon: 'rocket' },
      { title: 'Signed', icon: 'shield' },
      { title: 'New', icon: 'star' },
    ];
    expect(changedPaths(before, after)).toEqual(['0.icon', '2']);
    expect(changedPaths(after, before)).toEqual(['0.icon', '2']);
  });

  it('goes down nested components and dynamic zones', () => {
    const before = [{ __component: 'home.hero', cta: { label: 'Go', url: '/go' } }];
    const after = [{ __component: 'home.hero', cta: { label: 'Start', url: '/go' } }];
    expect(changedPaths(before, after)).toEqual(['0.cta.label']);
    expect(changedPaths(before, [{ __component: 'home.quote', text: 'x' }])).toEqual([
      '0.__component',
      '0.cta',
      '0.text',
    ]);
  });

  it('treats a missing part and an empty one alike, and a change of shape as a whole', () => {
    expect(changedPaths({ a: null }, { a: undefined })).toEqual([]);
    expect(changedPaths(null, { title: 'x' })).toEqual(['']);
    expect(changedPaths([1, 2], [1, 2])).toEqual([]);
    expect(changedPaths('text', ['text'])).toEqual(['']);
  });
});

describe('isNested', () => {
  it('is true for objects and lists only', () => {
    expect([{}, [], { a: 1 }, [1]].every(isNested)).toBe(true);
    expect([null, 'x', 1, true, undefined].some(isNested)).toBe(false);
  });
});
