/** What a version of a versioned type holds, and how it is written back: no Strapi needed. */
import { describe, expect, it } from '@jest/globals';
import {
  changedAttributes,
  deepPopulate,
  referencesOf,
  restoreDataOf,
  snapshotOfDocument,
  type Attribute,
  type SchemaLookup,
} from './snapshot';

const schemas: Record<string, { attributes: Record<string, Attribute> }> = {
  'api::page.page': {
    attributes: {
      id: { type: 'integer' },
      documentId: { type: 'string' },
      version: { type: 'integer' },
      createdBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
      title: { type: 'string' },
      price: { type: 'decimal' },
      live: { type: 'boolean' },
      secret: { type: 'password' },
      seo: { type: 'component', component: 'shared.seo' },
      features: { type: 'component', component: 'shared.feature', repeatable: true },
      blocks: { type: 'dynamiczone', components: ['shared.feature', 'shared.quote'] },
      cover: { type: 'media', multiple: false },
      gallery: { type: 'media', multiple: true },
      author: { type: 'relation', relation: 'manyToOne', target: 'api::author.author' },
      tags: { type: 'relation', relation: 'manyToMany', target: 'api::tag.tag' },
    },
  },
  'shared.seo': {
    attributes: { title: { type: 'string' }, image: { type: 'media', multiple: false } },
  },
  'shared.feature': { attributes: { title: { type: 'string' }, rank: { type: 'integer' } } },
  'shared.quote': { attributes: { text: { type: 'text' } } },
};
const lookup: SchemaLookup = (uid) => schemas[uid];

const document = {
  id: 7,
  documentId: 'page1',
  version: 3,
  title: 'Hello',
  price: '12.345',
  live: 1,
  secret: 'hash',
  seo: { id: 1, title: 'SEO', image: { id: 4, documentId: 'img1', url: '/a.png' } },
  features: [
    { id: 2, title: 'B', rank: '2' },
    { id: 3, title: 'A', rank: 1 },
  ],
  blocks: [
    { id: 5, __component: 'shared.quote', text: 'Quote' },
    { id: 6, __component: 'shared.feature', title: 'F', rank: 3 },
  ],
  cover: null,
  gallery: [{ id: 8, documentId: 'img2' }],
  author: { id: 9, documentId: 'auth1', name: 'Ann' },
  tags: [{ documentId: 'tag1' }, { documentId: 'tag2' }],
};

describe('snapshotOfDocument', () => {
  it('keeps content only: no ids, no server-managed fields, no secrets, references by documentId', () => {
    expect(snapshotOfDocument(lookup, 'api::page.page', document)).toEqual({
      title: 'Hello',
      price: 12.35,
      live: true,
      seo: { title: 'SEO', image: 'img1' },
      features: [
        { title: 'B', rank: 2 },
        { title: 'A', rank: 1 },
      ],
      blocks: [
        { __component: 'shared.quote', text: 'Quote' },
        { __component: 'shared.feature', title: 'F', rank: 3 },
      ],
      cover: null,
      gallery: ['img2'],
      author: 'auth1',
      tags: ['tag1', 'tag2'],
    });
  });

  it('reads missing components and relations as empty, not as errors', () => {
    expect(snapshotOfDocument(lookup, 'api::page.page', { title: 'x' })).toMatchObject({
      seo: null,
      features: [],
      blocks: [],
      gallery: [],
      author: null,
    });
  });
});

describe('deepPopulate', () => {
  it('goes all the way down, references as documentIds or whole', () => {
    const populate = deepPopulate(lookup, 'api::page.page');
    expect(populate.seo).toEqual({ populate: { image: { fields: ['documentId'] } } });
    expect(populate.features).toEqual({ populate: '*' });
    expect(populate.blocks).toEqual({
      on: { 'shared.feature': { populate: '*' }, 'shared.quote': { populate: '*' } },
    });
    expect(populate.createdBy).toBeUndefined();
    expect(deepPopulate(lookup, 'api::page.page', 'whole').author).toBe(true);
  });
});

describe('restoreDataOf', () => {
  const snapshot = snapshotOfDocument(lookup, 'api::page.page', document);

  it('writes components back in their order without ids, and references as what resolves', () => {
    const ids: Record<string, number> = { img1: 40, img2: 41 };
    const data = restoreDataOf(lookup, 'api::page.page', snapshot, (target, documentId) =>
      target === 'plugin::upload.file' ? (ids[documentId] ?? null) : documentId
    );
    expect(data.features).toEqual([
      { title: 'B', rank: 2 },
      { title: 'A', rank: 1 },
    ]);
    expect(data.seo).toEqual({ title: 'SEO', image: 40 });
    expect(data.gallery).toEqual([41]);
    expect(data.author).toEqual({ set: ['auth1'] });
    expect(data.tags).toEqual({ set: ['tag1', 'tag2'] });
    expect(data.blocks).toEqual([
      { __component: 'shared.quote', text: 'Quote' },
      { __component: 'shared.feature', title: 'F', rank: 3 },
    ]);
  });

  it('leaves out what no longer resolves, and attributes the schema no longer has', () => {
    const data = restoreDataOf(
      lookup,
      'api::page.page',
      { ...snapshot, removedField: 'x' },
      (_target, documentId) => (documentId === 'tag2' ? documentId : null)
    );
    expect(data.tags).toEqual({ set: ['tag2'] });
    expect(data.author).toEqual({ set: [] });
    expect(data.seo).toEqual({ title: 'SEO', image: null });
    expect(data).not.toHaveProperty('removedField');
  });

  it('lists every reference with its path, for the check before a restore', () => {
    expect(referencesOf(lookup, 'api::page.page', snapshot).map((r) => r.path.join('.'))).toEqual([
      'seo.image',
      'gallery',
      'author',
      'tags',
      'tags',
    ]);
  });
});

describe('changedAttributes', () => {
  it('compares by content, whatever the key order (PostgreSQL reorders jsonb)', () => {
    expect(changedAttributes({ seo: { a: 1, b: 2 } }, { seo: { b: 2, a: 1 } })).toEqual([]);
    expect(
      changedAttributes(
        { features: [{ t: 'A' }, { t: 'B' }] },
        { features: [{ t: 'B' }, { t: 'A' }] }
      )
    ).toEqual(['features']);
    expect(changedAttributes({ a: null }, { a: undefined, b: 1 })).toEqual(['b']);
  });
});
