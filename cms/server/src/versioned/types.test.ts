import { describe, expect, it } from '@jest/globals';
import { typeProblem, type TypeSchema } from './types';

const singleType = (singularName: string): TypeSchema => ({
  uid: `api::${singularName}.${singularName}`,
  kind: 'singleType',
  collectionName: 'pages',
  info: { singularName, displayName: 'Page' },
  options: { draftAndPublish: true },
});

describe('typeProblem: the name a type is known by', () => {
  it('accepts lowercase words joined by hyphens', () => {
    expect(typeProblem('api::home-page.home-page', singleType('home-page'))).toBeNull();
  });

  // The name prefixes the type's admin permissions (`<key>.history.read`), which Strapi
  // refuses to register with a digit: the start would fail later, at bootstrap, less clearly.
  it.each(['page2', '2page', 'page-2'])('refuses %s, naming the reason', (name) => {
    expect(typeProblem(`api::${name}.${name}`, singleType(name))).toMatch(
      /its admin permissions need a name of lowercase letters and hyphens/
    );
  });
});
